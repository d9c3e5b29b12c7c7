using System.Numerics;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>Lotka-Volterra x' = a x - b x y, y' = -c y + d x y. Parameters: a, b, c, d.</summary>
public readonly struct LotkaVolterra<T> : IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int Dimension => 2;

    /// <inheritdoc />
    public int ParameterCount => 4;

    /// <inheritdoc />
    public void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy)
    {
        T x = y[0], v = y[1];
        dy[0] = p[0] * x - p[1] * x * v;
        dy[1] = -p[2] * v + p[3] * x * v;
    }
}
