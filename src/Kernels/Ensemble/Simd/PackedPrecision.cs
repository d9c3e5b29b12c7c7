using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Precision;
using OdeGpu.Simd;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// <typeparamref name="TP"/>'s conversions for packed values: a double rounds to T as the scalar path rounds it, into
/// every lane. The lane kernels widen lanes themselves (<see cref="ControlLanes.ValuesFrom{T}"/>), so
/// <see cref="ToDouble"/> is for a value whose lanes are equal: it takes lane 0.
/// </summary>
internal readonly struct PackedPrecision<T, TP> : IPrecision<Packed<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> FromDouble(double value)
    {
        Packed<T> result;
        result.Lanes = new Vector<T>(TP.FromDouble(value));
        return result;
    }

    /// <summary>Lane 0 widened to double.</summary>
    public static double ToDouble(Packed<T> value) => TP.ToDouble(value[0]);
}
