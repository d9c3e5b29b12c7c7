using ILGPU;
using OdeGpu.Differentiation;
using OdeGpu.Neural;
using OdeGpu.State;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// The activations: their values against the textbook formulas, their derivatives against central differences, their
/// first and second derivatives against dual numbers, finite and correct in float and double where the naive formulas
/// overflow, and compiled offline for PTX (nothing in local memory) and OpenCL C inside a kernel.
/// </summary>
public sealed class ActivationTests
{
    public static TheoryData<string> Names => ["tanh", "sigmoid", "softplus", "relu", "elu", "swish"];

    private static readonly double[] Points = [-30, -3, -0.5, -1e-3, 1e-3, 0.7, 2, 25];

    [Theory]
    [MemberData(nameof(Names))]
    public void Values_are_the_textbook_formulas(string name)
    {
        foreach (var x in Points)
        {
            var expected = Reference(name, x);
            Assert.True(Math.Abs(Value(name, x) - expected) <= 1e-14 * Math.Max(1, Math.Abs(expected)), $"{name}({x}) = {Value(name, x)}, expected {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Derivatives_match_central_differences(string name)
    {
        const double h = 1e-6;
        foreach (var x in Points)
        {
            var expected = (Value(name, x + h) - Value(name, x - h)) / (2 * h);
            var actual = Derivative(name, x);
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1e-3, Math.Abs(expected)), $"{name}'({x}) = {actual}, expected {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Derivatives_match_dual_numbers(string name)
    {
        foreach (var x in Points)
        {
            var dual = Value(name, new Dual<double, Vec1<double>>(x, new Vec1<double>(1)));
            Assert.Equal(dual.Value, Value(name, x), 15);
            Assert.Equal(dual.Tangent.X, Derivative(name, x), 12);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Second_derivatives_are_the_derivatives_of_the_derivatives_on_dual_numbers(string name)
    {
        foreach (var x in Points)
        {
            var dual = Derivative(name, new Dual<double, Vec1<double>>(x, new Vec1<double>(1)));
            Assert.Equal(dual.Tangent.X, SecondDerivative(name, x), 12);
            Assert.True(float.IsFinite(SecondDerivative(name, (float)x)), $"float {name}''({x}) is not finite");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Lanes_compute_what_the_scalar_forms_compute(string name)
    {
        var check = typeof(ActivationTests).GetMethod(nameof(CompareLanes), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        check.MakeGenericMethod(Type(name), typeof(double)).Invoke(null, [1e-13]);
        check.MakeGenericMethod(Type(name), typeof(float)).Invoke(null, [1e-5]);
    }

    [Theory]
    [InlineData("tanh", 1000, 1, -1)]
    [InlineData("sigmoid", 1000, 1, 0)]
    [InlineData("softplus", 1000, 1000, 0)]
    [InlineData("elu", 1000, 1000, -1)]
    [InlineData("swish", 1000, 1000, 0)]
    [InlineData("relu", 1e300, 1e300, 0)]
    public void Large_arguments_give_the_limits_in_float_and_double(string name, double x, double atPlus, double atMinus)
    {
        Assert.Equal(atPlus, Value(name, x), 12);
        Assert.Equal(atMinus, Value(name, -x), 12);
        Assert.Equal((float)atPlus, Value(name, (float)x), 5);
        Assert.Equal((float)atMinus, Value(name, -(float)x), 5);
        foreach (var argument in new[] { x, -x, 1e300, -1e300 })
        {
            Assert.True(double.IsFinite(Derivative(name, argument)), $"{name}'({argument}) is not finite");
            Assert.True(float.IsFinite(Derivative(name, (float)Math.Clamp(argument, -1e38, 1e38))), $"float {name}'({argument}) is not finite");
        }
    }

    /// <summary>
    /// Float needs no local memory. Double compiles for both backends, but ILGPU.Algorithms' double exp is a CORDIC
    /// routine that passes its accumulators by reference, so every activation built on exp puts 32 bytes in local
    /// memory in double on PTX (LibDevice, which needs a CUDA toolkit at run time, would avoid it).
    /// </summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void Compiles_for_ptx_sm90_and_opencl_with_nothing_in_local_memory_in_float(string name)
    {
        foreach (var scalar in new[] { typeof(float), typeof(double) })
        {
            var ptx = OfflineCompile.ForPtxAndOpenCL(typeof(ActivationKernel).GetMethod(nameof(ActivationKernel.Apply))!.MakeGenericMethod(Type(name), scalar));
            if (scalar == typeof(float) || name == "relu")
                Assert.DoesNotContain(".local", ptx);
        }
    }

    // Every point in every lane position: value and derivative within `tolerance` of the scalar's (the lanes' exp and
    // log round differently from the C library's in the last bits).
    private static void CompareLanes<TActivation, T>(double tolerance)
        where TActivation : struct, IActivation
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var lanes = System.Numerics.Vector<T>.Count;
        // the points above, the limits, and a dense grid over [-100, 100] for the lanes' own exponential
        T[] points = [.. Points.Concat([0.0, 1e4, -1e4]).Concat(Enumerable.Range(0, 541).Select(k => -100 + 0.37 * k)).Select(T.CreateTruncating)];
        for (var start = 0; start < points.Length; start++)
        {
            var x = new T[lanes];
            for (var i = 0; i < lanes; i++)
                x[i] = points[(start + i) % points.Length];
            var values = TActivation.Values(new System.Numerics.Vector<T>(x));
            var derivatives = TActivation.Derivatives(new System.Numerics.Vector<T>(x));
            for (var i = 0; i < lanes; i++)
                foreach (var (lane, scalar, what) in new[] { (values[i], TActivation.Value(x[i]), "value"), (derivatives[i], TActivation.Derivative(x[i]), "derivative") })
                {
                    var (u, v) = (double.CreateTruncating(lane), double.CreateTruncating(scalar));
                    Assert.True(Math.Abs(u - v) <= tolerance * Math.Max(1, Math.Abs(v)), $"{typeof(TActivation).Name} {what} at {x[i]} in {typeof(T).Name} lanes: {u}, scalar {v}");
                }
        }
    }

    private static double Reference(string name, double x) => name switch
    {
        "tanh" => Math.Tanh(x),
        "sigmoid" => 1 / (1 + Math.Exp(-x)),
        "softplus" => Math.Log(1 + Math.Exp(x)),
        "relu" => Math.Max(x, 0),
        "elu" => x > 0 ? x : Math.Exp(x) - 1,
        _ => x / (1 + Math.Exp(-x)),
    };

    private static Type Type(string name) => name switch
    {
        "tanh" => typeof(Tanh),
        "sigmoid" => typeof(Sigmoid),
        "softplus" => typeof(Softplus),
        "relu" => typeof(Relu),
        "elu" => typeof(Elu),
        _ => typeof(Swish),
    };

    private static T Value<T>(string name, T x) where T : System.Numerics.IFloatingPointIeee754<T> => name switch
    {
        "tanh" => Tanh.Value(x),
        "sigmoid" => Sigmoid.Value(x),
        "softplus" => Softplus.Value(x),
        "relu" => Relu.Value(x),
        "elu" => Elu.Value(x),
        _ => Swish.Value(x),
    };

    private static T Derivative<T>(string name, T x) where T : System.Numerics.IFloatingPointIeee754<T> => name switch
    {
        "tanh" => Tanh.Derivative(x),
        "sigmoid" => Sigmoid.Derivative(x),
        "softplus" => Softplus.Derivative(x),
        "relu" => Relu.Derivative(x),
        "elu" => Elu.Derivative(x),
        _ => Swish.Derivative(x),
    };

    private static T SecondDerivative<T>(string name, T x) where T : System.Numerics.IFloatingPointIeee754<T> => name switch
    {
        "tanh" => Tanh.SecondDerivative(x),
        "sigmoid" => Sigmoid.SecondDerivative(x),
        "softplus" => Softplus.SecondDerivative(x),
        "relu" => Relu.SecondDerivative(x),
        "elu" => Elu.SecondDerivative(x),
        _ => Swish.SecondDerivative(x),
    };
}

/// <summary>A kernel that applies an activation and its derivative, for the offline compiles.</summary>
public static class ActivationKernel
{
    /// <summary>x[i] = sigma(x[i]) + sigma'(x[i]) + sigma''(x[i]).</summary>
    public static void Apply<TActivation, T>(Index1D i, ArrayView<T> x)
        where TActivation : struct, IActivation
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        x[i] = TActivation.Value(x[i]) + TActivation.Derivative(x[i]) + TActivation.SecondDerivative(x[i]);
}
