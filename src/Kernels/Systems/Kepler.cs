using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Kepler two-body problem with unit mass, r'' = -r / |r|^3: state (x, y, x', y'). No parameters.</summary>
public struct Kepler<T> : IOdeSystem<T, Vec4<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public readonly int ParameterCount => 0;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
        // nothing to load
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec4<T> Evaluate(T t, Vec4<T> y)
    {
        var r2 = y.X * y.X + y.Y * y.Y;
        var r3 = r2 * T.Sqrt(r2);
        return new(y.Z, y.W, -y.X / r3, -y.Y / r3);
    }
}
