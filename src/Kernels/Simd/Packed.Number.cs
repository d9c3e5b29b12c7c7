using System.Numerics;
using System.Runtime.CompilerServices;

namespace OdeGpu.Simd;

/// <summary>Constants, classification, magnitude, rounding and the IEEE operations, lane by lane.</summary>
public partial struct Packed<T>
{
    /// <inheritdoc />
    public static Packed<T> E => new(T.E);

    /// <inheritdoc />
    public static Packed<T> Pi => new(T.Pi);

    /// <inheritdoc />
    public static Packed<T> Tau => new(T.Tau);

    /// <inheritdoc />
    public static Packed<T> Epsilon => new(T.Epsilon);

    /// <inheritdoc />
    public static Packed<T> NaN => new(T.NaN);

    /// <inheritdoc />
    public static Packed<T> NegativeInfinity => new(T.NegativeInfinity);

    /// <inheritdoc />
    public static Packed<T> PositiveInfinity => new(T.PositiveInfinity);

    /// <inheritdoc />
    public static Packed<T> NegativeZero => new(T.NegativeZero);

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsCanonical(Packed<T> value) => All(value, T.IsCanonical, nameof(IsCanonical));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsComplexNumber(Packed<T> value) => All(value, T.IsComplexNumber, nameof(IsComplexNumber));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsEvenInteger(Packed<T> value) => All(value, T.IsEvenInteger, nameof(IsEvenInteger));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsFinite(Packed<T> value) => All(value, T.IsFinite, nameof(IsFinite));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsImaginaryNumber(Packed<T> value) => All(value, T.IsImaginaryNumber, nameof(IsImaginaryNumber));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsInfinity(Packed<T> value) => All(value, T.IsInfinity, nameof(IsInfinity));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsInteger(Packed<T> value) => All(value, T.IsInteger, nameof(IsInteger));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsNaN(Packed<T> value) => All(value, T.IsNaN, nameof(IsNaN));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsNegative(Packed<T> value) => All(value, T.IsNegative, nameof(IsNegative));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsNegativeInfinity(Packed<T> value) => All(value, T.IsNegativeInfinity, nameof(IsNegativeInfinity));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsNormal(Packed<T> value) => All(value, T.IsNormal, nameof(IsNormal));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsOddInteger(Packed<T> value) => All(value, T.IsOddInteger, nameof(IsOddInteger));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsPositive(Packed<T> value) => All(value, T.IsPositive, nameof(IsPositive));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsPositiveInfinity(Packed<T> value) => All(value, T.IsPositiveInfinity, nameof(IsPositiveInfinity));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsRealNumber(Packed<T> value) => All(value, T.IsRealNumber, nameof(IsRealNumber));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsSubnormal(Packed<T> value) => All(value, T.IsSubnormal, nameof(IsSubnormal));

    /// <summary>True when true in every lane; recorded as a branch.</summary>
    public static bool IsZero(Packed<T> value) => All(value, T.IsZero, nameof(IsZero));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> Abs(Packed<T> value) => new(Vector.Abs(value.Lanes));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> Max(Packed<T> x, Packed<T> y) => new(Vector.Max(x.Lanes, y.Lanes));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> Min(Packed<T> x, Packed<T> y) => new(Vector.Min(x.Lanes, y.Lanes));

    /// <inheritdoc />
    public static Packed<T> MaxNumber(Packed<T> x, Packed<T> y) => Map(x, y, T.MaxNumber);

    /// <inheritdoc />
    public static Packed<T> MinNumber(Packed<T> x, Packed<T> y) => Map(x, y, T.MinNumber);

    /// <inheritdoc />
    public static Packed<T> MaxMagnitude(Packed<T> x, Packed<T> y) => Map(x, y, T.MaxMagnitude);

    /// <inheritdoc />
    public static Packed<T> MaxMagnitudeNumber(Packed<T> x, Packed<T> y) => Map(x, y, T.MaxMagnitudeNumber);

    /// <inheritdoc />
    public static Packed<T> MinMagnitude(Packed<T> x, Packed<T> y) => Map(x, y, T.MinMagnitude);

    /// <inheritdoc />
    public static Packed<T> MinMagnitudeNumber(Packed<T> x, Packed<T> y) => Map(x, y, T.MinMagnitudeNumber);

    /// <summary>Min(Max(value, min), max) in every lane; the bounds are not checked (a check would be a comparison).</summary>
    public static Packed<T> Clamp(Packed<T> value, Packed<T> min, Packed<T> max) => Min(Max(value, min), max);

    /// <summary>Lane 0's sign; recorded as a branch.</summary>
    public static int Sign(Packed<T> value) => Branch(nameof(Sign), T.Sign(value.Lanes[0]));

    /// <inheritdoc />
    public static Packed<T> CopySign(Packed<T> value, Packed<T> sign) => Map(value, sign, T.CopySign);

    /// <inheritdoc />
    public static Packed<T> Ceiling(Packed<T> x) => Map(x, T.Ceiling);

    /// <inheritdoc />
    public static Packed<T> Floor(Packed<T> x) => Map(x, T.Floor);

    /// <inheritdoc />
    public static Packed<T> Truncate(Packed<T> x) => Map(x, T.Truncate);

    /// <inheritdoc />
    public static Packed<T> Round(Packed<T> x) => Map(x, T.Round);

    /// <inheritdoc />
    public static Packed<T> Round(Packed<T> x, int digits) => Map(x, v => T.Round(v, digits));

    /// <inheritdoc />
    public static Packed<T> Round(Packed<T> x, MidpointRounding mode) => Map(x, v => T.Round(v, mode));

    /// <inheritdoc />
    public static Packed<T> Round(Packed<T> x, int digits, MidpointRounding mode) => Map(x, v => T.Round(v, digits, mode));

    /// <inheritdoc />
    public static Packed<T> BitIncrement(Packed<T> x) => Map(x, T.BitIncrement);

    /// <inheritdoc />
    public static Packed<T> BitDecrement(Packed<T> x) => Map(x, T.BitDecrement);

    /// <inheritdoc />
    public static Packed<T> ScaleB(Packed<T> x, int n) => Map(x, v => T.ScaleB(v, n));

    /// <summary>Lane 0's binary exponent; recorded as a branch.</summary>
    public static int ILogB(Packed<T> x) => Branch(nameof(ILogB), T.ILogB(x.Lanes[0]));

    /// <inheritdoc />
    public static Packed<T> Ieee754Remainder(Packed<T> left, Packed<T> right) => Map(left, right, T.Ieee754Remainder);

    /// <summary>a b + c rounded once in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> FusedMultiplyAdd(Packed<T> left, Packed<T> right, Packed<T> addend)
    {
        if (typeof(T) == typeof(float))
            return new(Vector.FusedMultiplyAdd(left.Lanes.As<T, float>(), right.Lanes.As<T, float>(), addend.Lanes.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector.FusedMultiplyAdd(left.Lanes.As<T, double>(), right.Lanes.As<T, double>(), addend.Lanes.As<T, double>()).As<double, T>());
        return Map(Map(left, right, static (a, b) => a * b), addend, static (p, c) => p + c);
    }

    /// <summary>a b + c in every lane, rounded as <typeparamref name="T"/>'s own estimate rounds it.</summary>
    public static Packed<T> MultiplyAddEstimate(Packed<T> left, Packed<T> right, Packed<T> addend)
    {
        Span<T> a = stackalloc T[Count], b = stackalloc T[Count], c = stackalloc T[Count];
        left.Lanes.CopyTo(a);
        right.Lanes.CopyTo(b);
        addend.Lanes.CopyTo(c);
        for (var j = 0; j < Count; j++)
            a[j] = T.MultiplyAddEstimate(a[j], b[j], c[j]);
        return new(new Vector<T>(a));
    }

    /// <inheritdoc />
    public static Packed<T> Lerp(Packed<T> value1, Packed<T> value2, Packed<T> amount) => value1 * (One - amount) + value2 * amount;

    /// <inheritdoc />
    public static Packed<T> ReciprocalEstimate(Packed<T> x) => Map(x, T.ReciprocalEstimate);

    /// <inheritdoc />
    public static Packed<T> ReciprocalSqrtEstimate(Packed<T> x) => Map(x, T.ReciprocalSqrtEstimate);

    /// <summary>Lane 0's; recorded as a branch.</summary>
    public int GetExponentByteCount() => Branch(nameof(GetExponentByteCount), Lanes[0].GetExponentByteCount());

    /// <summary>Lane 0's; recorded as a branch.</summary>
    public int GetExponentShortestBitLength() => Branch(nameof(GetExponentShortestBitLength), Lanes[0].GetExponentShortestBitLength());

    /// <summary>Lane 0's; recorded as a branch.</summary>
    public int GetSignificandBitLength() => Branch(nameof(GetSignificandBitLength), Lanes[0].GetSignificandBitLength());

    /// <summary>Lane 0's; recorded as a branch.</summary>
    public int GetSignificandByteCount() => Branch(nameof(GetSignificandByteCount), Lanes[0].GetSignificandByteCount());

    /// <summary>Lane 0's; recorded as a branch.</summary>
    public bool TryWriteExponentBigEndian(Span<byte> destination, out int bytesWritten) =>
        Branch(nameof(TryWriteExponentBigEndian), Lanes[0].TryWriteExponentBigEndian(destination, out bytesWritten));

    /// <summary>Lane 0's; recorded as a branch.</summary>
    public bool TryWriteExponentLittleEndian(Span<byte> destination, out int bytesWritten) =>
        Branch(nameof(TryWriteExponentLittleEndian), Lanes[0].TryWriteExponentLittleEndian(destination, out bytesWritten));

    /// <summary>Lane 0's; recorded as a branch.</summary>
    public bool TryWriteSignificandBigEndian(Span<byte> destination, out int bytesWritten) =>
        Branch(nameof(TryWriteSignificandBigEndian), Lanes[0].TryWriteSignificandBigEndian(destination, out bytesWritten));

    /// <summary>Lane 0's; recorded as a branch.</summary>
    public bool TryWriteSignificandLittleEndian(Span<byte> destination, out int bytesWritten) =>
        Branch(nameof(TryWriteSignificandLittleEndian), Lanes[0].TryWriteSignificandLittleEndian(destination, out bytesWritten));
}
