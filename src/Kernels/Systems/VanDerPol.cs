using System.Numerics;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>Van der Pol oscillator x' = v, v' = mu (1 - x^2) v - x. Parameter: mu.</summary>
public readonly struct VanDerPol<T> : IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int Dimension => 2;

    /// <inheritdoc />
    public int ParameterCount => 1;

    /// <inheritdoc />
    public void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy)
    {
        T x = y[0], v = y[1];
        dy[0] = v;
        dy[1] = p[0] * (T.One - x * x) * v - x;
    }
}
