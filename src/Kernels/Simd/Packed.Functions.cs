using System.Numerics;
using System.Runtime.CompilerServices;

namespace OdeGpu.Simd;

/// <summary>
/// The exponential, logarithmic, power, root, trigonometric and hyperbolic functions: the square root, e^x, ln x,
/// log2 x, sin and cos in vector instructions, the others lane by lane.
/// </summary>
public partial struct Packed<T>
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> Sqrt(Packed<T> x) => new(Vector.SquareRoot(x.Lanes));

    /// <summary>e^x, by the vector library for float and double.</summary>
    public static Packed<T> Exp(Packed<T> x) =>
        typeof(T) == typeof(float) ? new(Vector.Exp(x.Lanes.As<T, float>()).As<float, T>())
        : typeof(T) == typeof(double) ? new(Vector.Exp(x.Lanes.As<T, double>()).As<double, T>())
        : Map(x, T.Exp);

    /// <summary>ln x, by the vector library for float and double.</summary>
    public static Packed<T> Log(Packed<T> x) =>
        typeof(T) == typeof(float) ? new(Vector.Log(x.Lanes.As<T, float>()).As<float, T>())
        : typeof(T) == typeof(double) ? new(Vector.Log(x.Lanes.As<T, double>()).As<double, T>())
        : Map(x, T.Log);

    /// <summary>log2 x, by the vector library for float and double.</summary>
    public static Packed<T> Log2(Packed<T> x) =>
        typeof(T) == typeof(float) ? new(Vector.Log2(x.Lanes.As<T, float>()).As<float, T>())
        : typeof(T) == typeof(double) ? new(Vector.Log2(x.Lanes.As<T, double>()).As<double, T>())
        : Map(x, T.Log2);

    /// <summary>sin x, by the vector library for float and double.</summary>
    public static Packed<T> Sin(Packed<T> x) =>
        typeof(T) == typeof(float) ? new(Vector.Sin(x.Lanes.As<T, float>()).As<float, T>())
        : typeof(T) == typeof(double) ? new(Vector.Sin(x.Lanes.As<T, double>()).As<double, T>())
        : Map(x, T.Sin);

    /// <summary>cos x, by the vector library for float and double.</summary>
    public static Packed<T> Cos(Packed<T> x) =>
        typeof(T) == typeof(float) ? new(Vector.Cos(x.Lanes.As<T, float>()).As<float, T>())
        : typeof(T) == typeof(double) ? new(Vector.Cos(x.Lanes.As<T, double>()).As<double, T>())
        : Map(x, T.Cos);

    /// <inheritdoc />
    public static (Packed<T> Sin, Packed<T> Cos) SinCos(Packed<T> x) => (Sin(x), Cos(x));

    /// <inheritdoc />
    public static Packed<T> ExpM1(Packed<T> x) => Map(x, T.ExpM1);

    /// <inheritdoc />
    public static Packed<T> Exp2(Packed<T> x) => Map(x, T.Exp2);

    /// <inheritdoc />
    public static Packed<T> Exp2M1(Packed<T> x) => Map(x, T.Exp2M1);

    /// <inheritdoc />
    public static Packed<T> Exp10(Packed<T> x) => Map(x, T.Exp10);

    /// <inheritdoc />
    public static Packed<T> Exp10M1(Packed<T> x) => Map(x, T.Exp10M1);

    /// <inheritdoc />
    public static Packed<T> Log(Packed<T> x, Packed<T> newBase) => Map(x, newBase, T.Log);

    /// <inheritdoc />
    public static Packed<T> LogP1(Packed<T> x) => Map(x, T.LogP1);

    /// <inheritdoc />
    public static Packed<T> Log2P1(Packed<T> x) => Map(x, T.Log2P1);

    /// <inheritdoc />
    public static Packed<T> Log10(Packed<T> x) => Map(x, T.Log10);

    /// <inheritdoc />
    public static Packed<T> Log10P1(Packed<T> x) => Map(x, T.Log10P1);

    /// <inheritdoc />
    public static Packed<T> Pow(Packed<T> x, Packed<T> y) => Map(x, y, T.Pow);

    /// <inheritdoc />
    public static Packed<T> Cbrt(Packed<T> x) => Map(x, T.Cbrt);

    /// <inheritdoc />
    public static Packed<T> RootN(Packed<T> x, int n) => Map(x, v => T.RootN(v, n));

    /// <inheritdoc />
    public static Packed<T> Hypot(Packed<T> x, Packed<T> y) => Map(x, y, T.Hypot);

    /// <inheritdoc />
    public static Packed<T> Tan(Packed<T> x) => Map(x, T.Tan);

    /// <inheritdoc />
    public static Packed<T> SinPi(Packed<T> x) => Map(x, T.SinPi);

    /// <inheritdoc />
    public static Packed<T> CosPi(Packed<T> x) => Map(x, T.CosPi);

    /// <inheritdoc />
    public static (Packed<T> SinPi, Packed<T> CosPi) SinCosPi(Packed<T> x) => (SinPi(x), CosPi(x));

    /// <inheritdoc />
    public static Packed<T> TanPi(Packed<T> x) => Map(x, T.TanPi);

    /// <inheritdoc />
    public static Packed<T> Asin(Packed<T> x) => Map(x, T.Asin);

    /// <inheritdoc />
    public static Packed<T> Acos(Packed<T> x) => Map(x, T.Acos);

    /// <inheritdoc />
    public static Packed<T> Atan(Packed<T> x) => Map(x, T.Atan);

    /// <inheritdoc />
    public static Packed<T> AsinPi(Packed<T> x) => Map(x, T.AsinPi);

    /// <inheritdoc />
    public static Packed<T> AcosPi(Packed<T> x) => Map(x, T.AcosPi);

    /// <inheritdoc />
    public static Packed<T> AtanPi(Packed<T> x) => Map(x, T.AtanPi);

    /// <inheritdoc />
    public static Packed<T> Atan2(Packed<T> y, Packed<T> x) => Map(y, x, T.Atan2);

    /// <inheritdoc />
    public static Packed<T> Atan2Pi(Packed<T> y, Packed<T> x) => Map(y, x, T.Atan2Pi);

    /// <inheritdoc />
    public static Packed<T> DegreesToRadians(Packed<T> degrees) => Map(degrees, T.DegreesToRadians);

    /// <inheritdoc />
    public static Packed<T> RadiansToDegrees(Packed<T> radians) => Map(radians, T.RadiansToDegrees);

    /// <inheritdoc />
    public static Packed<T> Sinh(Packed<T> x) => Map(x, T.Sinh);

    /// <inheritdoc />
    public static Packed<T> Cosh(Packed<T> x) => Map(x, T.Cosh);

    /// <inheritdoc />
    public static Packed<T> Tanh(Packed<T> x) => Map(x, T.Tanh);

    /// <inheritdoc />
    public static Packed<T> Asinh(Packed<T> x) => Map(x, T.Asinh);

    /// <inheritdoc />
    public static Packed<T> Acosh(Packed<T> x) => Map(x, T.Acosh);

    /// <inheritdoc />
    public static Packed<T> Atanh(Packed<T> x) => Map(x, T.Atanh);
}
