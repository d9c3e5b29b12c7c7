using System.Numerics;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>Harmonic oscillator x' = v, v' = -w^2 x. Parameter: w.</summary>
public readonly struct Harmonic<T> : IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int Dimension => 2;

    /// <inheritdoc />
    public int ParameterCount => 1;

    /// <inheritdoc />
    public void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy)
    {
        dy[0] = y[1];
        dy[1] = -p[0] * p[0] * y[0];
    }
}
