using System.Numerics;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Brusselator x' = A + x^2 y - (B + 1) x, y' = B x - x^2 y. Parameters: A, B.</summary>
public readonly struct Brusselator<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int ParameterCount => 2;

    /// <inheritdoc />
    public Vec2<T> Evaluate(T t, Vec2<T> y, ArrayView<T> p)
    {
        var x2y = y.X * y.X * y.Y;
        return new(p[0] + x2y - (p[1] + T.One) * y.X, p[1] * y.X - x2y);
    }
}
