using System.Numerics;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Tests.Differentiation;

/// <summary>A driven oscillator x' = v, v' = -k x + sin(w t): a system that depends on time, for a^T df/dt.</summary>
public struct Forced<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The stiffness.</summary>
    public T K;

    /// <summary>The driving frequency.</summary>
    public T W;

    /// <inheritdoc />
    public readonly int ParameterCount => 2;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
        K = parameters[0];
        W = parameters[1];
    }

    /// <inheritdoc />
    public readonly Vec2<T> Evaluate(T t, Vec2<T> y) => new(y.Y, -K * y.X + T.Sin(W * t));
}
