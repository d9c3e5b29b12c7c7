using System.Numerics;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>Exponential decay dy/dt = -k y, componentwise, of any dimension. Parameter: k.</summary>
/// <param name="dimension">The number of components.</param>
public readonly struct ExpDecay<T>(int dimension) : IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int Dimension { get; } = dimension;

    /// <inheritdoc />
    public int ParameterCount => 1;

    /// <inheritdoc />
    public void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy)
    {
        for (var i = 0; i < Dimension; i++)
            dy[i] = -p[0] * y[i];
    }
}
