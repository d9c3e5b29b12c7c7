using System.Numerics;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Harmonic oscillator x' = v, v' = -w^2 x. Parameter: w.</summary>
public readonly struct Harmonic<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int ParameterCount => 1;

    /// <inheritdoc />
    public Vec2<T> Evaluate(T t, Vec2<T> y, ArrayView<T> p) => new(y.Y, -p[0] * p[0] * y.X);
}
