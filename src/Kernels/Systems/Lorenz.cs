using System.Numerics;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>Lorenz system x' = s(y - x), y' = x(r - z) - y, z' = xy - bz. Parameters: s, r, b.</summary>
public readonly struct Lorenz<T> : IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int Dimension => 3;

    /// <inheritdoc />
    public int ParameterCount => 3;

    /// <inheritdoc />
    public void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy)
    {
        T x = y[0], v = y[1], z = y[2];
        dy[0] = p[0] * (v - x);
        dy[1] = x * (p[1] - z) - v;
        dy[2] = x * v - p[2] * z;
    }
}
