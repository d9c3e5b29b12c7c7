using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>
/// Arenstorf orbit, the restricted three-body problem of Hairer, Norsett and Wanner I, II.0.1:
/// state (x, y, x', y'). Parameter: mu, the mass ratio.
/// </summary>
public struct Arenstorf<T> : IOdeSystem<T, Vec4<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Two = T.CreateTruncating(2);

    /// <summary>The moon's share of the mass.</summary>
    public T Mu;

    /// <inheritdoc />
    public readonly int ParameterCount => 1;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T> => Mu = parameters[0];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec4<T> Evaluate(T t, Vec4<T> y)
    {
        var nu = T.One - Mu;
        var r1 = Cube((y.X + Mu) * (y.X + Mu) + y.Y * y.Y);
        var r2 = Cube((y.X - nu) * (y.X - nu) + y.Y * y.Y);
        return new(
            y.Z,
            y.W,
            y.X + Two * y.W - nu * (y.X + Mu) / r1 - Mu * (y.X - nu) / r2,
            y.Y - Two * y.Z - nu * y.Y / r1 - Mu * y.Y / r2);
    }

    // (r^2)^(3/2) without a general power function
    private static T Cube(T squared) => squared * T.Sqrt(squared);
}
