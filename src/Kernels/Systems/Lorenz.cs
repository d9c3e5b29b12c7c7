using System.Numerics;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Lorenz system x' = s(y - x), y' = x(r - z) - y, z' = xy - bz. Parameters: s, r, b.</summary>
public readonly struct Lorenz<T> : IOdeSystem<T, Vec3<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int ParameterCount => 3;

    /// <inheritdoc />
    public Vec3<T> Evaluate(T t, Vec3<T> y, ArrayView<T> p) =>
        new(p[0] * (y.Y - y.X), y.X * (p[1] - y.Z) - y.Y, y.X * y.Y - p[2] * y.Z);
}
