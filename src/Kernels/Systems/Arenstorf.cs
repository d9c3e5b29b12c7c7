using System.Numerics;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>
/// Arenstorf orbit, the restricted three-body problem of Hairer, Norsett and Wanner I, II.0.1:
/// state (x, y, x', y'). Parameter: mu, the mass ratio.
/// </summary>
public readonly struct Arenstorf<T> : IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int Dimension => 4;

    /// <inheritdoc />
    public int ParameterCount => 1;

    /// <inheritdoc />
    public void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy)
    {
        T x = y[0], v = y[1], vx = y[2], vy = y[3];
        var mu = p[0];
        var nu = T.One - mu;
        var r1 = Cube((x + mu) * (x + mu) + v * v);
        var r2 = Cube((x - nu) * (x - nu) + v * v);
        var two = T.One + T.One;
        dy[0] = vx;
        dy[1] = vy;
        dy[2] = x + two * vy - nu * (x + mu) / r1 - mu * (x - nu) / r2;
        dy[3] = v - two * vx - nu * v / r1 - mu * v / r2;
    }

    // (r^2)^(3/2) without a general power function
    private static T Cube(T squared) => squared * T.Sqrt(squared);
}
