using System.Numerics;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>
/// Arenstorf orbit, the restricted three-body problem of Hairer, Norsett and Wanner I, II.0.1:
/// state (x, y, x', y'). Parameter: mu, the mass ratio.
/// </summary>
public readonly struct Arenstorf<T> : IOdeSystem<T, Vec4<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public int ParameterCount => 1;

    /// <inheritdoc />
    public Vec4<T> Evaluate(T t, Vec4<T> y, ArrayView<T> p)
    {
        var mu = p[0];
        var nu = T.One - mu;
        var r1 = Cube((y.X + mu) * (y.X + mu) + y.Y * y.Y);
        var r2 = Cube((y.X - nu) * (y.X - nu) + y.Y * y.Y);
        var two = T.One + T.One;
        return new(
            y.Z,
            y.W,
            y.X + two * y.W - nu * (y.X + mu) / r1 - mu * (y.X - nu) / r2,
            y.Y - two * y.Z - nu * y.Y / r1 - mu * y.Y / r2);
    }

    // (r^2)^(3/2) without a general power function
    private static T Cube(T squared) => squared * T.Sqrt(squared);
}
