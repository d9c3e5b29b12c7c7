using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Precision;

namespace OdeGpu.Ensemble;

/// <summary>One trajectory's double in an interpolant's weight (<see cref="IDenseTime{TSelf, T}"/>).</summary>
/// <typeparam name="T">The state's scalar.</typeparam>
/// <typeparam name="TP">Its conversion from double.</typeparam>
/// <param name="value">The value.</param>
public readonly struct DenseTime<T, TP>(double value) : IDenseTime<DenseTime<T, TP>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
{
    private readonly double _value = value;

    /// <inheritdoc />
    public T State
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TP.FromDouble(_value);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DenseTime<T, TP> Of(double value) => new(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DenseTime<T, TP> operator +(DenseTime<T, TP> left, DenseTime<T, TP> right) => new(left._value + right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DenseTime<T, TP> operator *(DenseTime<T, TP> left, DenseTime<T, TP> right) => new(left._value * right._value);
}
