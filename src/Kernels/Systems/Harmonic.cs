using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Harmonic oscillator x' = v, v' = -w^2 x. Parameter: w.</summary>
public struct Harmonic<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The angular frequency.</summary>
    public T W;

    /// <inheritdoc />
    public readonly int ParameterCount => 1;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T> => W = parameters[0];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec2<T> Evaluate(T t, Vec2<T> y) => new(y.Y, -W * W * y.X);
}
