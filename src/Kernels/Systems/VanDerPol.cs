using System.Numerics;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Van der Pol oscillator x' = v, v' = mu (1 - x^2) v - x. Parameter: mu.</summary>
public readonly struct VanDerPol<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int ParameterCount => 1;

    /// <inheritdoc />
    public Vec2<T> Evaluate(T t, Vec2<T> y, ArrayView<T> p) => new(y.Y, p[0] * (T.One - y.X * y.X) * y.Y - y.X);
}
