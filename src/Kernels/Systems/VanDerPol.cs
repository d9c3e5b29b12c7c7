using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Van der Pol oscillator x' = v, v' = mu (1 - x^2) v - x. Parameter: mu.</summary>
public struct VanDerPol<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The damping strength.</summary>
    public T Mu;

    /// <inheritdoc />
    public readonly int ParameterCount => 1;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T> => Mu = parameters[0];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec2<T> Evaluate(T t, Vec2<T> y) => new(y.Y, Mu * (T.One - y.X * y.X) * y.Y - y.X);
}
