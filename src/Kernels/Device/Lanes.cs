using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace OdeGpu.Device;

/// <summary>
/// The elementary functions of <see cref="Vector{T}"/> lanes for the scalars the project computes in, float and double:
/// .NET offers them per type, and the SIMD twins of <see cref="SimdPrimitives"/> are generic. Each branch is a
/// compile-time constant for a given T, so the JIT keeps one.
/// </summary>
internal static class Lanes
{
    /// <summary>
    /// e^x in every lane for x &lt;= 0, the only arguments the activations take (e^-|x| and the like): n = round(x / ln 2),
    /// r = x - n ln 2 in two parts, e^r by its Taylor series cut at the scalar's precision (|r| &lt;= ln 2 / 2), times
    /// 2^n built in the exponent bits. About ten times faster than the general <see cref="Vector.Exp(Vector{float})"/>
    /// here, within two ulps; arguments below the smallest normal result give zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> ExpNonPositive<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return ExpNonPositive(x.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return ExpNonPositive(x.As<T, double>()).As<double, T>();
        throw new NotSupportedException($"lanes of {typeof(T).Name}");
    }

    /// <summary>
    /// log(1 + u) in every lane, for u in [0, 1] (softplus's e^-|x|): 2 atanh(s) with s = u / (2 + u) in [0, 1/3], the
    /// odd series of atanh cut where its tail falls below the scalar's half ulp ((1/9)^7 / 15 for float, (1/9)^17 / 35 for
    /// double). Cheaper than the general logarithm, and exact to the last bits where u is tiny and 1 + u rounds to 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> LogOnePlus<T>(Vector<T> u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = u / (new Vector<T>(T.CreateTruncating(2)) + u);
        var s2 = s * s;
        var series = AtanhSeries<T>.Coefficients;
        var sum = new Vector<T>(series[^1]);
        for (var k = series.Length - 2; k >= 0; k--)
            sum = MultiplyAdd(sum, s2, new Vector<T>(series[k]));
        return (s + s) * sum;
    }

    /// <summary>a b + c in every lane, rounded once where the core has fused multiply-adds (emulating them elsewhere would cost more than the rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged
    {
        if (!Fma.IsSupported)
            return a * b + c;
        if (typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        return a * b + c;
    }

    private static Vector<float> ExpNonPositive(Vector<float> x)
    {
        var clamped = Vector.Max(x, new Vector<float>(-87.3f));
        // trunc(v - 1/2) rounds v <= 0 to the nearest integer
        var n = Vector.ConvertToInt32(clamped * new Vector<float>(1.44269504f) - new Vector<float>(0.5f));
        var m = Vector.ConvertToSingle(n);
        var r = MultiplyAdd(m, new Vector<float>(-6.93145752e-1f), clamped);
        r = MultiplyAdd(m, new Vector<float>(-1.42860677e-6f), r);
        var series = ExpSeries<float>.Coefficients;
        var sum = new Vector<float>(series[^1]);
        for (var k = series.Length - 2; k >= 0; k--)
            sum = MultiplyAdd(sum, r, new Vector<float>(series[k]));
        var scale = Vector.ShiftLeft(n + new Vector<int>(127), 23).As<int, float>();
        return Vector.ConditionalSelect(Vector.LessThan(x, new Vector<float>(-87.3f)), Vector<float>.Zero, sum * scale);
    }

    private static Vector<double> ExpNonPositive(Vector<double> x)
    {
        var clamped = Vector.Max(x, new Vector<double>(-708.0));
        var n = Vector.ConvertToInt64(clamped * new Vector<double>(1.4426950408889634) - new Vector<double>(0.5));
        var m = Vector.ConvertToDouble(n);
        var r = MultiplyAdd(m, new Vector<double>(-6.93147180369123816490e-1), clamped);
        r = MultiplyAdd(m, new Vector<double>(-1.90821492927058770002e-10), r);
        var series = ExpSeries<double>.Coefficients;
        var sum = new Vector<double>(series[^1]);
        for (var k = series.Length - 2; k >= 0; k--)
            sum = MultiplyAdd(sum, r, new Vector<double>(series[k]));
        var scale = Vector.ShiftLeft(n + new Vector<long>(1023), 52).As<long, double>();
        return Vector.ConditionalSelect(Vector.LessThan(x, new Vector<double>(-708.0)), Vector<double>.Zero, sum * scale);
    }

    // 1 / k!, the Taylor coefficients of e^r, as many as the scalar's precision needs for |r| <= ln 2 / 2.
    private static class ExpSeries<T> where T : IFloatingPointIeee754<T>
    {
        public static readonly T[] Coefficients = [.. Enumerable.Range(0, typeof(T) == typeof(float) ? 8 : 14).Select(Factorial)];

        private static T Factorial(int k) => T.One / T.CreateTruncating(Enumerable.Range(1, k).Aggregate(1.0, (p, i) => p * i));
    }

    // 1 / (2k + 1), the coefficients of atanh(s) / s in s^2, as many as the scalar's precision needs.
    private static class AtanhSeries<T> where T : IFloatingPointIeee754<T>
    {
        public static readonly T[] Coefficients =
            [.. Enumerable.Range(0, typeof(T) == typeof(float) ? 7 : 17).Select(k => T.One / T.CreateTruncating(2 * k + 1))];
    }
}
