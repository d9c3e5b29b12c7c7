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
    /// <summary>e^x in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Exp<T>(Vector<T> x) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector.Exp(x.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.Exp(x.As<T, double>()).As<double, T>();
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

    // 1 / (2k + 1), the coefficients of atanh(s) / s in s^2, as many as the scalar's precision needs.
    private static class AtanhSeries<T> where T : IFloatingPointIeee754<T>
    {
        public static readonly T[] Coefficients =
            [.. Enumerable.Range(0, typeof(T) == typeof(float) ? 7 : 17).Select(k => T.One / T.CreateTruncating(2 * k + 1))];
    }
}
