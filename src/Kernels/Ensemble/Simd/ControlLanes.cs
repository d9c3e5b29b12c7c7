using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// The step controller's per-lane values that need no double: error norms and the powers' exponents as one
/// <see cref="Vector{T}"/> of float, counters and masks as one of int, whatever the state's precision. A float group fills every lane; a
/// double group has half as many lanes and repeats them (lanes 0 to n - 1, then the same again), the layout
/// <see cref="DoubleLanes"/> narrows to and widens from, so that conversions between the two need no shuffles. A mask
/// lane is all ones (true) or zeros (false).
/// </summary>
internal static class ControlLanes
{
    private const float Ln2 = 0.6931472f;

    /// <summary>A mask over a vector of T (a state's finiteness) as a control mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> MaskFrom<T>(Vector<T> mask) where T : unmanaged =>
        typeof(T) == typeof(double) ? Vector.Narrow(mask.As<T, long>(), mask.As<T, long>()) : mask.As<T, int>();

    /// <summary>A control mask as a mask over a vector of T, for blending states.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MaskOf<T>(Vector<int> mask) where T : unmanaged
    {
        if (typeof(T) != typeof(double))
            return mask.As<int, T>();
        Vector.Widen(mask, out var low, out _);
        return low.As<long, T>();
    }

    /// <summary>The lanes of a vector of T in single precision (a double group's rounded and repeated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ValuesFrom<T>(Vector<T> x) where T : unmanaged =>
        typeof(T) == typeof(double) ? Vector.Narrow(x.As<T, double>(), x.As<T, double>()) : x.As<T, float>();

    /// <summary>A control mask over the lanes of <see cref="DoubleLanes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Wide(Vector<int> mask)
    {
        Vector.Widen(mask, out var low, out var high);
        return new(low.As<long, double>(), high.As<long, double>());
    }

    /// <summary>Single-precision values widened to double lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Wide(Vector<float> x)
    {
        Vector.Widen(x, out var low, out var high);
        return new(low, high);
    }

    /// <summary>Counters as double lanes (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes WideCount(Vector<int> x)
    {
        Vector.Widen(x, out var low, out var high);
        return new(Vector.ConvertToDouble(low), Vector.ConvertToDouble(high));
    }

    /// <summary>A mask over double lanes as a control mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> Narrow(DoubleLanes mask) => Vector.Narrow(mask.Low.As<double, long>(), mask.High.As<double, long>());

    /// <summary>True when some lane of a mask is true.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Vector<int> mask) => !Vector.EqualsAll(mask, Vector<int>.Zero);

    /// <summary>The first <paramref name="lanes"/> lanes of a mask as bits, lane j in bit j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bits(Vector<int> mask, int lanes)
    {
        int bits;
        if (Vector<int>.Count == 8)
            bits = (int)Vector256.ExtractMostSignificantBits(mask.AsVector256());
        else if (Vector<int>.Count == 16)
            bits = (int)Vector512.ExtractMostSignificantBits(mask.AsVector512());
        else
        {
            bits = 0;
            for (var j = 0; j < Vector<int>.Count; j++)
                bits |= (mask[j] < 0 ? 1 : 0) << j;
        }
        return lanes >= 32 ? bits : bits & ((1 << lanes) - 1);
    }

    /// <summary>The mask whose lane j is bit j of <paramref name="bits"/>, over <paramref name="lanes"/> lanes.</summary>
    public static Vector<int> Mask(int bits, int lanes)
    {
        Span<int> values = stackalloc int[Vector<int>.Count];
        for (var j = 0; j < values.Length; j++)
            values[j] = (bits >> (j % lanes) & 1) != 0 ? -1 : 0;
        return new Vector<int>(values);
    }

    /// <summary>Lanes from one value per lane (<paramref name="values"/> holds <paramref name="lanes"/> of them).</summary>
    public static Vector<T> FromLanes<T>(ReadOnlySpan<T> values, int lanes) where T : unmanaged
    {
        Span<T> all = stackalloc T[Vector<T>.Count];
        for (var j = 0; j < all.Length; j++)
            all[j] = values[j % lanes];
        return new Vector<T>(all);
    }

    /// <summary><paramref name="ifTrue"/> where the mask is true, else <paramref name="ifFalse"/> (one blend instruction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Select(Vector<int> mask, Vector<float> ifTrue, Vector<float> ifFalse) =>
        DoubleLanes.Blend(mask.As<int, float>(), ifTrue, ifFalse);

    /// <inheritdoc cref="Select(Vector{int}, Vector{float}, Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> Select(Vector<int> mask, Vector<int> ifTrue, Vector<int> ifFalse) =>
        DoubleLanes.Blend(mask.As<int, float>(), ifTrue.As<int, float>(), ifFalse.As<int, float>()).As<float, int>();

    /// <summary>
    /// log2 x in every lane, in single precision as <c>StepDecision.Power</c> computes its factors: exponent plus
    /// 2 atanh(u) / ln 2 with u = (m - 1) / (m + 1) for the mantissa m in [1, 2), the odd series to u^11 (|u| &lt;= 1/3,
    /// so within about 1e-7). Zero gives about -127 and infinity 128; the controller never needs more (an error norm of
    /// zero takes the largest factor, an infinite one the smallest, NaN ends the lane).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log2(Vector<float> x)
    {
        var bits = x.As<float, int>();
        var exponent = Vector.ConvertToSingle(Vector.ShiftRightArithmetic(bits, 23) - new Vector<int>(127));
        var m = (bits & new Vector<int>(0x007FFFFF) | new Vector<int>(0x3F800000)).As<int, float>();
        var u = (m - Vector<float>.One) / (m + Vector<float>.One);
        var u2 = u * u;
        var series = new Vector<float>(2 / (11 * Ln2));
        series = Vector.MultiplyAddEstimate(series, u2, new Vector<float>(2 / (9 * Ln2)));
        series = Vector.MultiplyAddEstimate(series, u2, new Vector<float>(2 / (7 * Ln2)));
        series = Vector.MultiplyAddEstimate(series, u2, new Vector<float>(2 / (5 * Ln2)));
        series = Vector.MultiplyAddEstimate(series, u2, new Vector<float>(2 / (3 * Ln2)));
        series = Vector.MultiplyAddEstimate(series, u2, new Vector<float>(2 / Ln2));
        return Vector.MultiplyAddEstimate(u, series, exponent);
    }

    /// <summary>
    /// 2^y in every lane, y clamped to [-126, 126]: 2^n built in the exponent bits times e^(r ln 2) by its Taylor
    /// series to degree 7 (|r| &lt;= 1/2, so within about 1e-8).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp2(Vector<float> y)
    {
        y = Vector.MinNative(Vector.MaxNative(y, new Vector<float>(-126f)), new Vector<float>(126f));
        var n = Vector.Round(y);
        var r = (y - n) * new Vector<float>(Ln2);
        var series = new Vector<float>(1f / 5040);
        series = Vector.MultiplyAddEstimate(series, r, new Vector<float>(1f / 720));
        series = Vector.MultiplyAddEstimate(series, r, new Vector<float>(1f / 120));
        series = Vector.MultiplyAddEstimate(series, r, new Vector<float>(1f / 24));
        series = Vector.MultiplyAddEstimate(series, r, new Vector<float>(1f / 6));
        series = Vector.MultiplyAddEstimate(series, r, new Vector<float>(0.5f));
        series = Vector.MultiplyAddEstimate(series, r, Vector<float>.One);
        series = Vector.MultiplyAddEstimate(series, r, Vector<float>.One);
        var scale = Vector.ShiftLeft(Vector.ConvertToInt32Native(n) + new Vector<int>(127), 23).As<int, float>();
        return series * scale;
    }
}
