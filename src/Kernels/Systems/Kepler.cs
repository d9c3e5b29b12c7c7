using System.Numerics;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>Kepler two-body problem with unit mass, r'' = -r / |r|^3: state (x, y, x', y'). No parameters.</summary>
public readonly struct Kepler<T> : IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int Dimension => 4;

    /// <inheritdoc />
    public int ParameterCount => 0;

    /// <inheritdoc />
    public void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy)
    {
        T x = y[0], v = y[1];
        var r2 = x * x + v * v;
        var r3 = r2 * T.Sqrt(r2);
        dy[0] = y[2];
        dy[1] = y[3];
        dy[2] = -x / r3;
        dy[3] = -v / r3;
    }
}
