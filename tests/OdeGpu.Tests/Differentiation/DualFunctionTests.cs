using System.Numerics;
using OdeGpu.Differentiation;
using OdeGpu.State;
using OdeGpu.Tests.Support;
using D1 = OdeGpu.Differentiation.Dual<double, OdeGpu.State.Vec1<double>>;
using D2 = OdeGpu.Differentiation.Dual<double, OdeGpu.State.Vec2<double>>;

namespace OdeGpu.Tests.Differentiation;

/// <summary>
/// Every function of the generic-math interfaces carries its derivative: the tangent a dual returns matches central
/// finite differences of the same function on double, in float64.
/// </summary>
public sealed class DualFunctionTests
{
    private static readonly Dictionary<string, (Func<D1, D1> Dual, Func<double, double> Plain, double X)> Unary = new()
    {
        ["Exp"] = (D1.Exp, Math.Exp, 0.7),
        ["ExpM1"] = (D1.ExpM1, double.ExpM1, 0.3),
        ["Exp2"] = (D1.Exp2, double.Exp2, 0.7),
        ["Exp2M1"] = (D1.Exp2M1, double.Exp2M1, 0.7),
        ["Exp10"] = (D1.Exp10, double.Exp10, 0.4),
        ["Exp10M1"] = (D1.Exp10M1, double.Exp10M1, 0.4),
        ["Log"] = (D1.Log, Math.Log, 1.7),
        ["LogP1"] = (D1.LogP1, double.LogP1, 0.7),
        ["Log2"] = (D1.Log2, Math.Log2, 1.7),
        ["Log2P1"] = (D1.Log2P1, double.Log2P1, 0.7),
        ["Log10"] = (D1.Log10, Math.Log10, 1.7),
        ["Log10P1"] = (D1.Log10P1, double.Log10P1, 0.7),
        ["Sqrt"] = (D1.Sqrt, Math.Sqrt, 2.3),
        ["Cbrt"] = (D1.Cbrt, Math.Cbrt, 2.3),
        ["RootN 5"] = (x => D1.RootN(x, 5), x => double.RootN(x, 5), 2.3),
        ["RootN -3"] = (x => D1.RootN(x, -3), x => double.RootN(x, -3), 2.3),
        ["Sin"] = (D1.Sin, Math.Sin, 0.9),
        ["Cos"] = (D1.Cos, Math.Cos, 0.9),
        ["SinCos.Sin"] = (x => D1.SinCos(x).Sin, Math.Sin, 0.9),
        ["SinCos.Cos"] = (x => D1.SinCos(x).Cos, Math.Cos, 0.9),
        ["Tan"] = (D1.Tan, Math.Tan, 0.9),
        ["SinPi"] = (D1.SinPi, double.SinPi, 0.3),
        ["CosPi"] = (D1.CosPi, double.CosPi, 0.3),
        ["SinCosPi.Sin"] = (x => D1.SinCosPi(x).SinPi, double.SinPi, 0.3),
        ["SinCosPi.Cos"] = (x => D1.SinCosPi(x).CosPi, double.CosPi, 0.3),
        ["TanPi"] = (D1.TanPi, double.TanPi, 0.2),
        ["Asin"] = (D1.Asin, Math.Asin, 0.4),
        ["Acos"] = (D1.Acos, Math.Acos, 0.4),
        ["Atan"] = (D1.Atan, Math.Atan, 0.4),
        ["AsinPi"] = (D1.AsinPi, double.AsinPi, 0.4),
        ["AcosPi"] = (D1.AcosPi, double.AcosPi, 0.4),
        ["AtanPi"] = (D1.AtanPi, double.AtanPi, 0.4),
        ["Sinh"] = (D1.Sinh, Math.Sinh, 0.8),
        ["Cosh"] = (D1.Cosh, Math.Cosh, 0.8),
        ["Tanh"] = (D1.Tanh, Math.Tanh, 0.8),
        ["Asinh"] = (D1.Asinh, Math.Asinh, 0.8),
        ["Acosh"] = (D1.Acosh, Math.Acosh, 1.8),
        ["Atanh"] = (D1.Atanh, Math.Atanh, 0.4),
        ["DegreesToRadians"] = (D1.DegreesToRadians, double.DegreesToRadians, 30),
        ["RadiansToDegrees"] = (D1.RadiansToDegrees, double.RadiansToDegrees, 0.5),
        ["Abs of a negative"] = (D1.Abs, Math.Abs, -0.6),
        ["Abs of a positive"] = (D1.Abs, Math.Abs, 0.6),
        ["Negation"] = (x => -x, x => -x, 0.6),
        ["Increment"] = (x => ++x, x => x + 1, 0.6),
        ["Decrement"] = (x => --x, x => x - 1, 0.6),
        ["BitIncrement"] = (D1.BitIncrement, double.BitIncrement, 0.6),
        ["ScaleB"] = (x => D1.ScaleB(x, 3), x => double.ScaleB(x, 3), 0.6),
        ["Pow with a constant exponent"] = (x => D1.Pow(x, new D1(2.5)), x => Math.Pow(x, 2.5), 1.3),
        ["Log to a constant base"] = (x => D1.Log(x, new D1(3)), x => Math.Log(x, 3), 1.3),
    };

    private static readonly Dictionary<string, (Func<D2, D2, D2> Dual, Func<double, double, double> Plain, double X, double Y)> Binary = new()
    {
        ["Addition"] = ((x, y) => x + y, (x, y) => x + y, 0.7, -1.3),
        ["Subtraction"] = ((x, y) => x - y, (x, y) => x - y, 0.7, -1.3),
        ["Multiplication"] = ((x, y) => x * y, (x, y) => x * y, 0.7, -1.3),
        ["Division"] = ((x, y) => x / y, (x, y) => x / y, 0.7, -1.3),
        ["Remainder"] = ((x, y) => x % y, (x, y) => x % y, 5.3, 1.7),
        ["Ieee754Remainder"] = (D2.Ieee754Remainder, Math.IEEERemainder, 5.3, 1.7),
        ["Pow"] = (D2.Pow, Math.Pow, 1.3, 0.7),
        ["Log to a base"] = (D2.Log, Math.Log, 1.3, 2.7),
        ["Hypot"] = (D2.Hypot, double.Hypot, 0.7, -1.3),
        ["Atan2"] = (D2.Atan2, Math.Atan2, 0.7, -1.3),
        ["Atan2Pi"] = (D2.Atan2Pi, double.Atan2Pi, 0.7, -1.3),
        ["Max"] = (D2.Max, Math.Max, 0.7, -1.3),
        ["Min"] = (D2.Min, Math.Min, 0.7, -1.3),
        ["MaxNumber"] = (D2.MaxNumber, double.MaxNumber, 0.7, -1.3),
        ["MinNumber"] = (D2.MinNumber, double.MinNumber, 0.7, -1.3),
        ["MaxMagnitude"] = (D2.MaxMagnitude, Math.MaxMagnitude, 0.7, -1.3),
        ["MinMagnitude"] = (D2.MinMagnitude, Math.MinMagnitude, 0.7, -1.3),
        ["MaxMagnitudeNumber"] = (D2.MaxMagnitudeNumber, double.MaxMagnitudeNumber, 0.7, -1.3),
        ["MinMagnitudeNumber"] = (D2.MinMagnitudeNumber, double.MinMagnitudeNumber, 0.7, -1.3),
        ["CopySign to negative"] = (D2.CopySign, Math.CopySign, 0.7, -1.3),
        ["CopySign to positive"] = (D2.CopySign, Math.CopySign, -0.7, 1.3),
        ["Lerp at a constant amount"] = ((x, y) => D2.Lerp(x, y, new D2(0.3)), (x, y) => double.Lerp(x, y, 0.3), 0.7, -1.3),
        ["FusedMultiplyAdd with a constant addend"] = ((x, y) => D2.FusedMultiplyAdd(x, y, new D2(0.3)), (x, y) => Math.FusedMultiplyAdd(x, y, 0.3), 0.7, -1.3),
        ["MultiplyAddEstimate with a constant factor"] = ((x, y) => D2.MultiplyAddEstimate(x, new D2(0.3), y), (x, y) => x * 0.3 + y, 0.7, -1.3),
        ["Clamp between constants"] = ((x, y) => D2.Clamp(x * y, new D2(-2), new D2(2)), (x, y) => Math.Clamp(x * y, -2, 2), 0.7, -1.3),
    };

    public static TheoryData<string> UnaryNames => new(Unary.Keys);

    public static TheoryData<string> BinaryNames => new(Binary.Keys);

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void A_function_of_one_argument_has_the_derivative_of_finite_differences(string name)
    {
        var (dual, plain, x) = Unary[name];

        var result = dual(new D1(x, new Vec1<double>(1)));

        Assert.Equal(plain(x), result.Value, 1e-15);
        AssertClose(CentralDifference.Of(plain, x), result.Tangent.X, name);
    }

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void A_function_of_two_arguments_has_both_partial_derivatives_of_finite_differences(string name)
    {
        var (dual, plain, x, y) = Binary[name];

        var result = dual(new D2(x, new Vec2<double>(1, 0)), new D2(y, new Vec2<double>(0, 1)));

        Assert.Equal(plain(x, y), result.Value, 1e-15);
        AssertClose(CentralDifference.Of(s => plain(s, y), x), result.Tangent.X, name + " by x");
        AssertClose(CentralDifference.Of(s => plain(x, s), y), result.Tangent.Y, name + " by y");
    }

    [Fact]
    public void The_closed_forms_hold_exactly_where_they_are_simple()
    {
        var x = new D1(0.5, new Vec1<double>(1));

        Assert.Equal(Math.Cos(0.5), D1.Sin(x).Tangent.X);
        Assert.Equal(Math.Exp(0.5), D1.Exp(x).Tangent.X);
        Assert.Equal(2.0, D1.Log(x).Tangent.X);
        Assert.Equal(1 / (2 * Math.Sqrt(0.5)), D1.Sqrt(x).Tangent.X);
        Assert.Equal(1 - Math.Tanh(0.5) * Math.Tanh(0.5), D1.Tanh(x).Tangent.X);
    }

    [Fact]
    public void Estimates_have_the_derivative_of_what_they_estimate_to_their_accuracy()
    {
        var x = new D1(1.6, new Vec1<double>(1));

        Assert.Equal(-1 / (1.6 * 1.6), D1.ReciprocalEstimate(x).Tangent.X, 1e-3);
        Assert.Equal(-0.5 * Math.Pow(1.6, -1.5), D1.ReciprocalSqrtEstimate(x).Tangent.X, 1e-3);
    }

    [Fact]
    public void Piecewise_constant_functions_have_zero_tangent()
    {
        var x = new D1(2.6, new Vec1<double>(1));

        foreach (var rounded in new[] { D1.Floor(x), D1.Ceiling(x), D1.Truncate(x), D1.Round(x), D1.Round(x, 1), D1.Round(x, MidpointRounding.AwayFromZero) })
            Assert.Equal(0.0, rounded.Tangent.X);
        Assert.Equal(1, D1.Sign(x));
        Assert.Equal(0, D1.Sign(D1.NaN));
    }

    [Fact]
    public void Comparisons_and_equality_look_at_the_value_alone()
    {
        var a = new D1(1, new Vec1<double>(5));
        var b = new D1(1, new Vec1<double>(-5));

        Assert.True(a == b);
        Assert.Equal(0, a.CompareTo(b));
        Assert.True(new D1(2) > a);
        Assert.True(D1.IsInteger(a) && D1.IsFinite(a) && !D1.IsNaN(a));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Conversions_and_text_carry_the_value_and_make_constants()
    {
        var x = new D1(2.5, new Vec1<double>(7));

        Assert.Equal(2.5, double.CreateTruncating(x));
        Assert.Equal(2, int.CreateTruncating(x));
        Assert.Equal(new Vec1<double>(0), Create.Checked<D1, int>(3).Tangent);
        Assert.Equal(3.0, Create.Saturating<D1, float>(3f).Value);
        Assert.Equal(7.0, Create.Truncating<D1, D1>(x).Tangent.X);
        Assert.Equal("2.5", x.ToString(null, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2.5, D1.Parse("2.5", System.Globalization.CultureInfo.InvariantCulture).Value);
        Assert.False(D1.TryParse("two", System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public void Precision_conversions_make_constants_and_read_values()
    {
        var x = DualPrecision<float, OdeGpu.Precision.Float32, Vec2<float>>.FromDouble(0.1);

        Assert.Equal(0.1f, x.Value);
        Assert.Equal(default, x.Tangent);
        Assert.Equal((double)0.1f, DualPrecision<float, OdeGpu.Precision.Float32, Vec2<float>>.ToDouble(x));
    }

    [Fact]
    public void A_dual_of_duals_gives_second_derivatives()
    {
        // x = 0.7 seeded in both levels: the inner tangent of the outer tangent is d²/dx².
        var inner = new D1(0.7, new Vec1<double>(1));
        var x = new Dual<D1, Vec1<D1>>(inner, new Vec1<D1>(new D1(1)));

        var y = Dual<D1, Vec1<D1>>.Sin(x) * Dual<D1, Vec1<D1>>.Exp(x);

        Assert.Equal(Math.Sin(0.7) * Math.Exp(0.7), y.Value.Value, 1e-15);
        Assert.Equal((Math.Cos(0.7) + Math.Sin(0.7)) * Math.Exp(0.7), y.Tangent.X.Value, 1e-14);
        Assert.Equal(2 * Math.Cos(0.7) * Math.Exp(0.7), y.Tangent.X.Tangent.X, 1e-14);
    }

    // The generic-math factories, as generic code (a system's static readonly constants) reaches them.
    private static class Create
    {
        public static TTo Checked<TTo, TFrom>(TFrom value) where TTo : INumberBase<TTo> where TFrom : INumberBase<TFrom> => TTo.CreateChecked(value);

        public static TTo Saturating<TTo, TFrom>(TFrom value) where TTo : INumberBase<TTo> where TFrom : INumberBase<TFrom> => TTo.CreateSaturating(value);

        public static TTo Truncating<TTo, TFrom>(TFrom value) where TTo : INumberBase<TTo> where TFrom : INumberBase<TFrom> => TTo.CreateTruncating(value);
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-8 * Math.Max(1, Math.Abs(expected)), $"{what}: derivative {actual}, finite differences {expected}");
}
