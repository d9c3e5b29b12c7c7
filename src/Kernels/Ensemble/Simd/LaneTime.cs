using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Simd;

namespace OdeGpu.Ensemble.Simd;

/// <summary>An interpolant's weight in every lane: <see cref="DenseTime{T, TP}"/>'s double arithmetic per lane.</summary>
/// <param name="value">Each lane's value.</param>
internal readonly struct LaneTime<T>(DoubleLanes value) : IDenseTime<LaneTime<T>, Packed<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DoubleLanes _value = value;

    /// <inheritdoc />
    public Packed<T> State
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_value.To<T>());
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LaneTime<T> Of(double value) => new(new DoubleLanes(value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LaneTime<T> operator +(LaneTime<T> left, LaneTime<T> right) => new(left._value + right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LaneTime<T> operator *(LaneTime<T> left, LaneTime<T> right) => new(left._value * right._value);
}
