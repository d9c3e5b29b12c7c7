using System.Numerics;
using OdeGpu.Simd;

namespace OdeGpu.Tests.Simd;

/// <summary>Packed numbers compute each lane as the scalar type does, and record what lanes cannot follow.</summary>
public sealed class PackedTests
{
    private static readonly double[] Values = [0.75, -2.5, 3.125, 1e-3, 7, -0.2, 42.5, 0.1, -9, 2, 5.5, -1.25, 0.3, 11, -4, 6];

    [Fact]
    public void Arithmetic_and_the_vector_functions_give_each_lane_the_scalar_result_bit_for_bit()
    {
        Lanewise<float>();
        Lanewise<double>();
    }

    [Fact]
    public void The_library_functions_stay_within_two_ulps_of_the_scalar_ones()
    {
        var x = Pack<double>(Values, 0);
        AllClose(x, Packed<double>.Exp(x * new Packed<double>(0.1)), v => Math.Exp(0.1 * v));
        AllClose(x, Packed<double>.Sin(x), Math.Sin);
        AllClose(x, Packed<double>.Cos(x), Math.Cos);
        AllClose(x, Packed<double>.Log(Packed<double>.Abs(x)), v => Math.Log(Math.Abs(v)));
        AllClose(x, Packed<double>.Pow(Packed<double>.Abs(x), new Packed<double>(1.5)), v => Math.Pow(Math.Abs(v), 1.5));
    }

    [Fact]
    public void Comparisons_conversions_and_classifications_are_recorded_as_branches()
    {
        var x = Pack<float>(Values, 0);
        LaneBranches.Clear();

        _ = x * x + Packed<float>.Sqrt(Packed<float>.Abs(x));
        Assert.Null(LaneBranches.First);
        var anyNegative = x < Packed<float>.Zero;
        Assert.Equal("<", LaneBranches.First);
        LaneBranches.Clear();
        _ = float.CreateTruncating(x.Lanes[0]) + int.CreateTruncating(x);
        Assert.Equal("conversion", LaneBranches.First);
        LaneBranches.Clear();
        _ = Packed<float>.IsNaN(x);
        Assert.Equal("IsNaN", LaneBranches.First);
        LaneBranches.Clear();

        Assert.False(anyNegative); // a comparison holds when it holds in every lane
        Assert.True(Packed<float>.Abs(x) >= Packed<float>.Zero);
    }

    [Fact]
    public void Constants_and_conversions_from_other_numbers_fill_every_lane()
    {
        var two = Two<Packed<double>>();
        var parsed = Packed<double>.Parse("0.5", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(new Vector<double>(2), two.Lanes);
        Assert.Equal(new Vector<double>(0.5), parsed.Lanes);
        Assert.Equal(new Vector<double>(Math.PI), Packed<double>.Pi.Lanes);
        Assert.Equal(Vector<double>.Count, Packed<double>.Count);
        Assert.StartsWith("<2, 2", two.ToString());
    }

    // A constant as a generic system writes one.
    private static T Two<T>() where T : INumberBase<T> => T.CreateTruncating(2);

    private static void Lanewise<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Pack<T>(Values, 0);
        var y = Pack<T>(Values, 3);
        var z = Pack<T>(Values, 5);
        for (var j = 0; j < Vector<T>.Count; j++)
        {
            T a = x[j], b = y[j], c = z[j];
            Assert.Equal(a + b, (x + y)[j]);
            Assert.Equal(a - b, (x - y)[j]);
            Assert.Equal(a * b, (x * y)[j]);
            Assert.Equal(a / b, (x / y)[j]);
            Assert.Equal(-a, (-x)[j]);
            Assert.Equal(a % b, (x % y)[j]);
            Assert.Equal(T.Sqrt(T.Abs(a)), Packed<T>.Sqrt(Packed<T>.Abs(x))[j]);
            Assert.Equal(T.Max(a, b), Packed<T>.Max(x, y)[j]);
            Assert.Equal(T.Min(a, b), Packed<T>.Min(x, y)[j]);
            Assert.Equal(T.FusedMultiplyAdd(a, b, c), Packed<T>.FusedMultiplyAdd(x, y, z)[j]);
            Assert.Equal(T.Floor(a), Packed<T>.Floor(x)[j]);
            Assert.Equal(T.Atan2(a, b), Packed<T>.Atan2(x, y)[j]);
            Assert.Equal(T.Tanh(a), Packed<T>.Tanh(x)[j]);
            Assert.Equal(T.Cbrt(a), Packed<T>.Cbrt(x)[j]);
        }
    }

    private static void AllClose(Packed<double> x, Packed<double> result, Func<double, double> scalar)
    {
        for (var j = 0; j < Vector<double>.Count; j++)
        {
            var expected = scalar(x[j]);
            Assert.True(Math.Abs(result[j] - expected) <= 2 * Math.BitIncrement(Math.Abs(expected)) - 2 * Math.Abs(expected) + double.Epsilon,
                $"lane {j}: {result[j]:R} against {expected:R}");
        }
    }

    private static Packed<T> Pack<T>(double[] values, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = new T[Vector<T>.Count];
        for (var j = 0; j < lanes.Length; j++)
            lanes[j] = T.CreateTruncating(values[(offset + j) % values.Length]);
        return new(new Vector<T>(lanes));
    }
}
