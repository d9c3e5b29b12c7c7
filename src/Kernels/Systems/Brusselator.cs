using System.Numerics;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>Brusselator x' = A + x^2 y - (B + 1) x, y' = B x - x^2 y. Parameters: A, B.</summary>
public readonly struct Brusselator<T> : IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int Dimension => 2;

    /// <inheritdoc />
    public int ParameterCount => 2;

    /// <inheritdoc />
    public void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy)
    {
        T x = y[0], v = y[1];
        var x2v = x * x * v;
        dy[0] = p[0] + x2v - (p[1] + T.One) * x;
        dy[1] = p[1] * x - x2v;
    }
}
