using System.Numerics;
using ILGPU;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>
/// Arenstorf orbit, the restricted three-body problem of Hairer, Norsett and Wanner I, II.0.1:
/// state (x, y, x', y'). Parameter: mu, the mass ratio.
/// </summary>
public struct Arenstorf<T> : IOdeSystem<T, Vec4<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The moon's share of the mass.</summary>
    public T Mu;

    /// <inheritdoc />
    public readonly int ParameterCount => 1;

    /// <inheritdoc />
    public void LoadParameters(ArrayView<T> parameters, long offset, long stride) => Mu = parameters[offset];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec4<T> Evaluate(T t, Vec4<T> y)
    {
        var nu = T.One - Mu;
        var r1 = Cube((y.X + Mu) * (y.X + Mu) + y.Y * y.Y);
        var r2 = Cube((y.X - nu) * (y.X - nu) + y.Y * y.Y);
        var two = T.One + T.One;
        return new(
            y.Z,
            y.W,
            y.X + two * y.W - nu * (y.X + Mu) / r1 - Mu * (y.X - nu) / r2,
            y.Y - two * y.Z - nu * y.Y / r1 - Mu * y.Y / r2);
    }

    // (r^2)^(3/2) without a general power function
    private static T Cube(T squared) => squared * T.Sqrt(squared);
}
