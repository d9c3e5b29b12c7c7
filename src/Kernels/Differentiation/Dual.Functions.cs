using System.Runtime.CompilerServices;

namespace OdeGpu.Differentiation;

/// <summary>The exponential, logarithmic, power, root, trigonometric and hyperbolic functions with their derivatives.</summary>
public readonly partial struct Dual<T, TTangent>
{
    // Constants of the derivative rules, computed once on the host and folded into kernels by ILGPU.
    private static readonly T Three = T.CreateTruncating(3);
    private static readonly T Ln2 = T.CreateTruncating(Math.Log(2));
    private static readonly T Ln10 = T.CreateTruncating(Math.Log(10));
    private static readonly T RadiansPerDegree = T.CreateTruncating(Math.PI / 180);
    private static readonly T DegreesPerRadian = T.CreateTruncating(180 / Math.PI);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> Exp(Dual<T, TTangent> x)
    {
        var e = T.Exp(x.Value);
        return Chain(e, e, x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> ExpM1(Dual<T, TTangent> x) => Chain(T.ExpM1(x.Value), T.Exp(x.Value), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Exp2(Dual<T, TTangent> x)
    {
        var e = T.Exp2(x.Value);
        return Chain(e, e * Ln2, x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> Exp2M1(Dual<T, TTangent> x) => Chain(T.Exp2M1(x.Value), T.Exp2(x.Value) * Ln2, x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Exp10(Dual<T, TTangent> x)
    {
        var e = T.Exp10(x.Value);
        return Chain(e, e * Ln10, x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> Exp10M1(Dual<T, TTangent> x) => Chain(T.Exp10M1(x.Value), T.Exp10(x.Value) * Ln10, x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> Log(Dual<T, TTangent> x) => Chain(T.Log(x.Value), T.One / x.Value, x);

    /// <summary>The logarithm of <paramref name="x"/> to the base <paramref name="newBase"/>, differentiated in both.</summary>
    public static Dual<T, TTangent> Log(Dual<T, TTangent> x, Dual<T, TTangent> newBase)
    {
        var value = T.Log(x.Value, newBase.Value);
        var lnBase = T.Log(newBase.Value);
        return Chain(value, T.One / (x.Value * lnBase), x, -value / (newBase.Value * lnBase), newBase);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> LogP1(Dual<T, TTangent> x) => Chain(T.LogP1(x.Value), T.One / (x.Value + T.One), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Log2(Dual<T, TTangent> x) => Chain(T.Log2(x.Value), T.One / (x.Value * Ln2), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Log2P1(Dual<T, TTangent> x) => Chain(T.Log2P1(x.Value), T.One / ((x.Value + T.One) * Ln2), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Log10(Dual<T, TTangent> x) => Chain(T.Log10(x.Value), T.One / (x.Value * Ln10), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Log10P1(Dual<T, TTangent> x) => Chain(T.Log10P1(x.Value), T.One / ((x.Value + T.One) * Ln10), x);

    /// <summary>
    /// x^y, differentiated in both. The derivative in the exponent, x^y ln x, is taken as 0 where x ≤ 0 (there x^y is
    /// real only at isolated exponents); the derivative in the base is 0 where y = 0.
    /// </summary>
    public static Dual<T, TTangent> Pow(Dual<T, TTangent> x, Dual<T, TTangent> y)
    {
        var power = T.Pow(x.Value, y.Value);
        var byBase = y.Value == T.Zero ? T.Zero : y.Value * T.Pow(x.Value, y.Value - T.One);
        var byExponent = x.Value > T.Zero ? power * T.Log(x.Value) : T.Zero;
        return Chain(power, byBase, x, byExponent, y);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> Sqrt(Dual<T, TTangent> x)
    {
        var root = T.Sqrt(x.Value);
        return Chain(root, T.One / (root + root), x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> Cbrt(Dual<T, TTangent> x)
    {
        var root = T.Cbrt(x.Value);
        return Chain(root, T.One / (Three * root * root), x);
    }

    /// <summary>The n-th root: (x^(1/n))' = x^(1/n) / (n x).</summary>
    public static Dual<T, TTangent> RootN(Dual<T, TTangent> x, int n)
    {
        var root = T.RootN(x.Value, n);
        return Chain(root, root / (Integer(n) * x.Value), x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> Hypot(Dual<T, TTangent> x, Dual<T, TTangent> y)
    {
        var length = T.Hypot(x.Value, y.Value);
        return Chain(length, x.Value / length, x, y.Value / length, y);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> Sin(Dual<T, TTangent> x) => Chain(T.Sin(x.Value), T.Cos(x.Value), x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> Cos(Dual<T, TTangent> x) => Chain(T.Cos(x.Value), -T.Sin(x.Value), x);

    /// <inheritdoc />
    public static (Dual<T, TTangent> Sin, Dual<T, TTangent> Cos) SinCos(Dual<T, TTangent> x)
    {
        var (sin, cos) = T.SinCos(x.Value);
        return (Chain(sin, cos, x), Chain(cos, -sin, x));
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> Tan(Dual<T, TTangent> x)
    {
        var tan = T.Tan(x.Value);
        return Chain(tan, T.One + tan * tan, x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> SinPi(Dual<T, TTangent> x) => Chain(T.SinPi(x.Value), T.Pi * T.CosPi(x.Value), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> CosPi(Dual<T, TTangent> x) => Chain(T.CosPi(x.Value), -T.Pi * T.SinPi(x.Value), x);

    /// <inheritdoc />
    public static (Dual<T, TTangent> SinPi, Dual<T, TTangent> CosPi) SinCosPi(Dual<T, TTangent> x)
    {
        var (sin, cos) = T.SinCosPi(x.Value);
        return (Chain(sin, T.Pi * cos, x), Chain(cos, -T.Pi * sin, x));
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> TanPi(Dual<T, TTangent> x)
    {
        var tan = T.TanPi(x.Value);
        return Chain(tan, T.Pi * (T.One + tan * tan), x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> Asin(Dual<T, TTangent> x) => Chain(T.Asin(x.Value), T.One / T.Sqrt(T.One - x.Value * x.Value), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Acos(Dual<T, TTangent> x) => Chain(T.Acos(x.Value), T.NegativeOne / T.Sqrt(T.One - x.Value * x.Value), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Atan(Dual<T, TTangent> x) => Chain(T.Atan(x.Value), T.One / (T.One + x.Value * x.Value), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> AsinPi(Dual<T, TTangent> x) =>
        Chain(T.AsinPi(x.Value), T.One / (T.Pi * T.Sqrt(T.One - x.Value * x.Value)), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> AcosPi(Dual<T, TTangent> x) =>
        Chain(T.AcosPi(x.Value), T.NegativeOne / (T.Pi * T.Sqrt(T.One - x.Value * x.Value)), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> AtanPi(Dual<T, TTangent> x) => Chain(T.AtanPi(x.Value), T.One / (T.Pi * (T.One + x.Value * x.Value)), x);

    /// <summary>The angle of the point (x, y), differentiated in both: d = (x dy - y dx) / (x² + y²).</summary>
    public static Dual<T, TTangent> Atan2(Dual<T, TTangent> y, Dual<T, TTangent> x)
    {
        var squared = x.Value * x.Value + y.Value * y.Value;
        return Chain(T.Atan2(y.Value, x.Value), x.Value / squared, y, -y.Value / squared, x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> Atan2Pi(Dual<T, TTangent> y, Dual<T, TTangent> x)
    {
        var squared = T.Pi * (x.Value * x.Value + y.Value * y.Value);
        return Chain(T.Atan2Pi(y.Value, x.Value), x.Value / squared, y, -y.Value / squared, x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> DegreesToRadians(Dual<T, TTangent> degrees) => Chain(T.DegreesToRadians(degrees.Value), RadiansPerDegree, degrees);

    /// <inheritdoc />
    public static Dual<T, TTangent> RadiansToDegrees(Dual<T, TTangent> radians) => Chain(T.RadiansToDegrees(radians.Value), DegreesPerRadian, radians);

    /// <inheritdoc />
    public static Dual<T, TTangent> Sinh(Dual<T, TTangent> x) => Chain(T.Sinh(x.Value), T.Cosh(x.Value), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Cosh(Dual<T, TTangent> x) => Chain(T.Cosh(x.Value), T.Sinh(x.Value), x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> Tanh(Dual<T, TTangent> x)
    {
        var tanh = T.Tanh(x.Value);
        return Chain(tanh, T.One - tanh * tanh, x);
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> Asinh(Dual<T, TTangent> x) => Chain(T.Asinh(x.Value), T.One / T.Sqrt(x.Value * x.Value + T.One), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Acosh(Dual<T, TTangent> x) =>
        Chain(T.Acosh(x.Value), T.One / (T.Sqrt(x.Value - T.One) * T.Sqrt(x.Value + T.One)), x);

    /// <inheritdoc />
    public static Dual<T, TTangent> Atanh(Dual<T, TTangent> x) => Chain(T.Atanh(x.Value), T.One / (T.One - x.Value * x.Value), x);

    // n as a T by binary expansion: T.CreateTruncating does not compile for GPUs.
    private static T Integer(int n)
    {
        var result = T.Zero;
        var bit = T.One;
        for (var rest = n < 0 ? -(long)n : n; rest != 0; rest >>= 1)
        {
            if ((rest & 1) != 0)
                result += bit;
            bit += bit;
        }
        return n < 0 ? -result : result;
    }
}
