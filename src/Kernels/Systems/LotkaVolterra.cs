using System.Numerics;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Lotka-Volterra x' = a x - b x y, y' = -c y + d x y. Parameters: a, b, c, d.</summary>
public readonly struct LotkaVolterra<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int ParameterCount => 4;

    /// <inheritdoc />
    public Vec2<T> Evaluate(T t, Vec2<T> y, ArrayView<T> p) =>
        new(p[0] * y.X - p[1] * y.X * y.Y, -p[2] * y.Y + p[3] * y.X * y.Y);
}
