using System.Runtime.CompilerServices;

namespace OdeGpu.Differentiation;

/// <summary>Constants, classification, ordering helpers, rounding and IEEE 754 operations.</summary>
public readonly partial struct Dual<T, TTangent>
{
    /// <inheritdoc />
    public static Dual<T, TTangent> E => new(T.E);

    /// <inheritdoc />
    public static Dual<T, TTangent> Pi => new(T.Pi);

    /// <inheritdoc />
    public static Dual<T, TTangent> Tau => new(T.Tau);

    /// <inheritdoc />
    public static Dual<T, TTangent> Epsilon => new(T.Epsilon);

    /// <inheritdoc />
    public static Dual<T, TTangent> NaN => new(T.NaN);

    /// <inheritdoc />
    public static Dual<T, TTangent> NegativeInfinity => new(T.NegativeInfinity);

    /// <inheritdoc />
    public static Dual<T, TTangent> PositiveInfinity => new(T.PositiveInfinity);

    /// <inheritdoc />
    public static Dual<T, TTangent> NegativeZero => new(T.NegativeZero);

    /// <inheritdoc />
    public static bool IsCanonical(Dual<T, TTangent> value) => T.IsCanonical(value.Value);

    /// <inheritdoc />
    public static bool IsComplexNumber(Dual<T, TTangent> value) => T.IsComplexNumber(value.Value);

    /// <inheritdoc />
    public static bool IsEvenInteger(Dual<T, TTangent> value) => T.IsEvenInteger(value.Value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(Dual<T, TTangent> value) => T.IsFinite(value.Value);

    /// <inheritdoc />
    public static bool IsImaginaryNumber(Dual<T, TTangent> value) => T.IsImaginaryNumber(value.Value);

    /// <inheritdoc />
    public static bool IsInfinity(Dual<T, TTangent> value) => T.IsInfinity(value.Value);

    /// <inheritdoc />
    public static bool IsInteger(Dual<T, TTangent> value) => T.IsInteger(value.Value);

    /// <inheritdoc />
    public static bool IsNaN(Dual<T, TTangent> value) => T.IsNaN(value.Value);

    /// <inheritdoc />
    public static bool IsNegative(Dual<T, TTangent> value) => T.IsNegative(value.Value);

    /// <inheritdoc />
    public static bool IsNegativeInfinity(Dual<T, TTangent> value) => T.IsNegativeInfinity(value.Value);

    /// <inheritdoc />
    public static bool IsNormal(Dual<T, TTangent> value) => T.IsNormal(value.Value);

    /// <inheritdoc />
    public static bool IsOddInteger(Dual<T, TTangent> value) => T.IsOddInteger(value.Value);

    /// <inheritdoc />
    public static bool IsPositive(Dual<T, TTangent> value) => T.IsPositive(value.Value);

    /// <inheritdoc />
    public static bool IsPositiveInfinity(Dual<T, TTangent> value) => T.IsPositiveInfinity(value.Value);

    /// <inheritdoc />
    public static bool IsRealNumber(Dual<T, TTangent> value) => T.IsRealNumber(value.Value);

    /// <inheritdoc />
    public static bool IsSubnormal(Dual<T, TTangent> value) => T.IsSubnormal(value.Value);

    /// <inheritdoc />
    public static bool IsZero(Dual<T, TTangent> value) => T.IsZero(value.Value);

    /// <summary>|x|, whose tangent is the argument's with the sign of x (+ at 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> Abs(Dual<T, TTangent> value) =>
        new(T.Abs(value.Value), T.IsNegative(value.Value) ? TTangent.Scale(T.NegativeOne, value.Tangent) : value.Tangent);

    /// <summary>The larger value with its tangent (the left one's at a tie).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> Max(Dual<T, TTangent> x, Dual<T, TTangent> y) => Pick(T.Max(x.Value, y.Value), x, y);

    /// <summary>The smaller value with its tangent (the left one's at a tie).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> Min(Dual<T, TTangent> x, Dual<T, TTangent> y) => Pick(T.Min(x.Value, y.Value), x, y);

    /// <inheritdoc cref="Max" />
    public static Dual<T, TTangent> MaxNumber(Dual<T, TTangent> x, Dual<T, TTangent> y) => Pick(T.MaxNumber(x.Value, y.Value), x, y);

    /// <inheritdoc cref="Min" />
    public static Dual<T, TTangent> MinNumber(Dual<T, TTangent> x, Dual<T, TTangent> y) => Pick(T.MinNumber(x.Value, y.Value), x, y);

    /// <summary>The value of larger magnitude with its tangent.</summary>
    public static Dual<T, TTangent> MaxMagnitude(Dual<T, TTangent> x, Dual<T, TTangent> y) => Pick(T.MaxMagnitude(x.Value, y.Value), x, y);

    /// <summary>The value of larger magnitude with its tangent.</summary>
    public static Dual<T, TTangent> MaxMagnitudeNumber(Dual<T, TTangent> x, Dual<T, TTangent> y) => Pick(T.MaxMagnitudeNumber(x.Value, y.Value), x, y);

    /// <summary>The value of smaller magnitude with its tangent.</summary>
    public static Dual<T, TTangent> MinMagnitude(Dual<T, TTangent> x, Dual<T, TTangent> y) => Pick(T.MinMagnitude(x.Value, y.Value), x, y);

    /// <summary>The value of smaller magnitude with its tangent.</summary>
    public static Dual<T, TTangent> MinMagnitudeNumber(Dual<T, TTangent> x, Dual<T, TTangent> y) => Pick(T.MinMagnitudeNumber(x.Value, y.Value), x, y);

    /// <summary>
    /// <c>Min(Max(value, min), max)</c> with the tangent of whichever is returned. Unlike the BCL's Clamp it does not
    /// throw when min &gt; max, since kernels cannot throw.
    /// </summary>
    public static Dual<T, TTangent> Clamp(Dual<T, TTangent> value, Dual<T, TTangent> min, Dual<T, TTangent> max) => Min(Max(value, min), max);

    /// <summary>-1, 0 or 1 by the value's sign; 0 for NaN, where the BCL throws, since kernels cannot throw.</summary>
    public static int Sign(Dual<T, TTangent> value) => value.Value > T.Zero ? 1 : value.Value < T.Zero ? -1 : 0;

    /// <summary>The magnitude of <paramref name="value"/> with the sign of <paramref name="sign"/>; the tangent flips with the sign.</summary>
    public static Dual<T, TTangent> CopySign(Dual<T, TTangent> value, Dual<T, TTangent> sign)
    {
        var result = T.CopySign(value.Value, sign.Value);
        return new(result, T.IsNegative(result) == T.IsNegative(value.Value) ? value.Tangent : TTangent.Scale(T.NegativeOne, value.Tangent));
    }

    /// <summary>Rounds the value up; the tangent is zero (piecewise constant).</summary>
    public static Dual<T, TTangent> Ceiling(Dual<T, TTangent> x) => Constant(T.Ceiling(x.Value));

    /// <summary>Rounds the value down; the tangent is zero (piecewise constant).</summary>
    public static Dual<T, TTangent> Floor(Dual<T, TTangent> x) => Constant(T.Floor(x.Value));

    /// <summary>Rounds the value toward zero; the tangent is zero (piecewise constant).</summary>
    public static Dual<T, TTangent> Truncate(Dual<T, TTangent> x) => Constant(T.Truncate(x.Value));

    /// <summary>Rounds the value to even; the tangent is zero (piecewise constant).</summary>
    public static Dual<T, TTangent> Round(Dual<T, TTangent> x) => Constant(T.Round(x.Value));

    /// <summary>Rounds the value to <paramref name="digits"/> digits; the tangent is zero (piecewise constant).</summary>
    public static Dual<T, TTangent> Round(Dual<T, TTangent> x, int digits) => Constant(T.Round(x.Value, digits));

    /// <summary>Rounds the value by <paramref name="mode"/>; the tangent is zero (piecewise constant).</summary>
    public static Dual<T, TTangent> Round(Dual<T, TTangent> x, MidpointRounding mode) => Constant(T.Round(x.Value, mode));

    /// <summary>Rounds the value to <paramref name="digits"/> digits by <paramref name="mode"/>; the tangent is zero.</summary>
    public static Dual<T, TTangent> Round(Dual<T, TTangent> x, int digits, MidpointRounding mode) => Constant(T.Round(x.Value, digits, mode));

    /// <summary>The next value up, with the tangent unchanged (x + ulp has derivative 1).</summary>
    public static Dual<T, TTangent> BitIncrement(Dual<T, TTangent> x) => new(T.BitIncrement(x.Value), x.Tangent);

    /// <summary>The next value down, with the tangent unchanged (x - ulp has derivative 1).</summary>
    public static Dual<T, TTangent> BitDecrement(Dual<T, TTangent> x) => new(T.BitDecrement(x.Value), x.Tangent);

    /// <summary>x 2^n, tangent included.</summary>
    public static Dual<T, TTangent> ScaleB(Dual<T, TTangent> x, int n) => Chain(T.ScaleB(x.Value, n), T.ScaleB(T.One, n), x);

    /// <summary>The value's binary exponent.</summary>
    public static int ILogB(Dual<T, TTangent> x) => T.ILogB(x.Value);

    /// <summary>x - y round(x / y), whose derivative is x' - round(x / y) y'.</summary>
    public static Dual<T, TTangent> Ieee754Remainder(Dual<T, TTangent> left, Dual<T, TTangent> right)
    {
        var remainder = T.Ieee754Remainder(left.Value, right.Value);
        return Chain(remainder, T.One, left, -T.Round((left.Value - remainder) / right.Value), right);
    }

    /// <summary>a b + c rounded once, differentiated in all three.</summary>
    public static Dual<T, TTangent> FusedMultiplyAdd(Dual<T, TTangent> left, Dual<T, TTangent> right, Dual<T, TTangent> addend) =>
        new(T.FusedMultiplyAdd(left.Value, right.Value, addend.Value), MultiplyAddTangent(left, right, addend));

    /// <summary>a b + c, rounded once or twice, differentiated in all three.</summary>
    public static Dual<T, TTangent> MultiplyAddEstimate(Dual<T, TTangent> left, Dual<T, TTangent> right, Dual<T, TTangent> addend) =>
        new(T.MultiplyAddEstimate(left.Value, right.Value, addend.Value), MultiplyAddTangent(left, right, addend));

    /// <summary>a (1 - w) + b w, differentiated in all three.</summary>
    public static Dual<T, TTangent> Lerp(Dual<T, TTangent> value1, Dual<T, TTangent> value2, Dual<T, TTangent> amount) =>
        value1 * (One - amount) + value2 * amount;

    /// <summary>An estimate r of 1/x with tangent -r² x'.</summary>
    public static Dual<T, TTangent> ReciprocalEstimate(Dual<T, TTangent> x)
    {
        var reciprocal = T.ReciprocalEstimate(x.Value);
        return Chain(reciprocal, -reciprocal * reciprocal, x);
    }

    /// <summary>An estimate r of 1/√x with tangent -r x' / (2x).</summary>
    public static Dual<T, TTangent> ReciprocalSqrtEstimate(Dual<T, TTangent> x)
    {
        var reciprocal = T.ReciprocalSqrtEstimate(x.Value);
        return Chain(reciprocal, -reciprocal / (x.Value + x.Value), x);
    }

    /// <inheritdoc />
    public int GetExponentByteCount() => Value.GetExponentByteCount();

    /// <inheritdoc />
    public int GetExponentShortestBitLength() => Value.GetExponentShortestBitLength();

    /// <inheritdoc />
    public int GetSignificandBitLength() => Value.GetSignificandBitLength();

    /// <inheritdoc />
    public int GetSignificandByteCount() => Value.GetSignificandByteCount();

    /// <inheritdoc />
    public bool TryWriteExponentBigEndian(Span<byte> destination, out int bytesWritten) => Value.TryWriteExponentBigEndian(destination, out bytesWritten);

    /// <inheritdoc />
    public bool TryWriteExponentLittleEndian(Span<byte> destination, out int bytesWritten) => Value.TryWriteExponentLittleEndian(destination, out bytesWritten);

    /// <inheritdoc />
    public bool TryWriteSignificandBigEndian(Span<byte> destination, out int bytesWritten) => Value.TryWriteSignificandBigEndian(destination, out bytesWritten);

    /// <inheritdoc />
    public bool TryWriteSignificandLittleEndian(Span<byte> destination, out int bytesWritten) => Value.TryWriteSignificandLittleEndian(destination, out bytesWritten);

    // (a b + c)' = b a' + a b' + c'.
    private static TTangent MultiplyAddTangent(Dual<T, TTangent> left, Dual<T, TTangent> right, Dual<T, TTangent> addend) =>
        TTangent.MulAdd(TTangent.MulAdd(TTangent.Scale(right.Value, left.Tangent), left.Value, right.Tangent), T.One, addend.Tangent);
}
