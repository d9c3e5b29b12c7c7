using ILGPU;
using OdeGpu.Neural;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// The dense layer's kernels (<see cref="LinearLayerKernels"/>) in float64: the forward pass against host loops, its VJP in
/// the input, the weights, the bias and the time against central differences of L = c . sigma(W [t, x] + b) (relative
/// error below 1e-6), its JVP against a directional difference, for every activation, as Linear, ConcatLinear (the time
/// column) and ConcatSquash (whose d, g and c are differentiated too); the parameter gradient is the same to the bit
/// when repeated; every kernel compiles for PTX and OpenCL.
/// </summary>
public sealed class LinearLayerKernelTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private const int Rows = 5, In = 3, Out = 4;

    // The second argument of a layer: 0 Linear, 1 ConcatLinear (the time column), Squashed ConcatSquash.
    private const int Squashed = 2;

    public static TheoryData<string, int> Layers => new()
    {
        { "tanh", 0 }, { "tanh", 1 }, { "softplus", 1 }, { "sigmoid", 0 }, { "relu", 1 }, { "elu", 0 }, { "swish", 1 }, { "identity", 0 },
        { "tanh", Squashed }, { "softplus", Squashed }, { "identity", Squashed },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void The_forward_pass_is_sigma_of_w_times_t_and_x_plus_b(string activation, int mode)
    {
        var layer = Layer.Random(mode, seed: 1);

        var h = Run(activation, layer).H;

        for (var r = 0; r < Rows; r++)
            for (var o = 0; o < Out; o++)
                Assert.Equal(Reference(activation, layer, r, o), h[r * Out + o], 13);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void The_vjp_matches_central_differences(string activation, int mode)
    {
        var layer = Layer.Random(mode, seed: 2);
        var c = Random(Rows * Out, seed: 3);

        var run = Run(activation, layer, c);

        double Loss(Layer l) => Enumerable.Range(0, Rows * Out).Sum(e => c[e] * Reference(activation, l, e / Out, e % Out));
        for (var k = 0; k < layer.X.Length; k++)
            AssertClose(CentralDifference.Of(h => Loss(layer.Shifted(x: k, by: h)), 0, 1e-6), run.XBar[k]);
        for (var k = 0; k < layer.W.Length; k++)
            AssertClose(CentralDifference.Of(h => Loss(layer.Shifted(w: k, by: h)), 0, 1e-6), run.WBar[k]);
        for (var k = 0; k < Out; k++)
            AssertClose(CentralDifference.Of(h => Loss(layer.Shifted(b: k, by: h)), 0, 1e-6), run.BBar[k]);
        for (var k = 0; k < layer.Squash.Length; k++)
            AssertClose(CentralDifference.Of(h => Loss(layer.Shifted(squash: k, by: h)), 0, 1e-6), run.SquashBar[k]);
        for (var r = 0; r < Rows; r++)
            AssertClose(mode == 0 ? 0 : CentralDifference.Of(h => Loss(layer.Shifted(t: r, by: h)), 0, 1e-6), run.TimeBar[r]);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void The_jvp_matches_a_directional_difference(string activation, int mode)
    {
        var layer = Layer.Random(mode, seed: 4);
        var v = Random(Rows * In, seed: 5);

        var run = Run(activation, layer, tangent: v);

        for (var e = 0; e < Rows * Out; e++)
        {
            var (r, o) = (e / Out, e % Out);
            AssertClose(CentralDifference.Of(h => Reference(activation, layer.Along(v, h), r, o), 0, 1e-6), run.HDot[e]);
        }
    }

    [Fact]
    public void The_parameter_gradient_is_bit_identical_when_repeated()
    {
        var layer = Layer.Random(1, seed: 6);
        var c = Random(Rows * Out, seed: 7);

        var first = Run("softplus", layer, c);
        var second = Run("softplus", layer, c);

        Assert.Equal(first.WBar, second.WBar);
        Assert.Equal(first.BBar, second.BBar);
    }

    [Theory]
    [InlineData(nameof(LinearLayerKernels.Forward))]
    [InlineData(nameof(LinearLayerKernels.PreActivationAdjoint))]
    [InlineData(nameof(LinearLayerKernels.InputAdjoint))]
    [InlineData(nameof(LinearLayerKernels.TimeAdjoint))]
    [InlineData(nameof(LinearLayerKernels.ParameterAdjoint))]
    [InlineData(nameof(LinearLayerKernels.RowParameterAdjoint))]
    [InlineData(nameof(LinearLayerKernels.Tangent))]
    public void Each_kernel_compiles_for_ptx_with_nothing_in_local_memory_and_for_opencl(string name)
    {
        var method = typeof(LinearLayerKernels).GetMethod(name)!;
        var arguments = method.GetGenericArguments().Select(p => p.Name switch
        {
            "T" => typeof(float),
            "TP" => typeof(Float32),
            _ => typeof(Softplus),
        }).ToArray();
        Assert.DoesNotContain(".local", OfflineCompile.ForPtxAndOpenCL(method.MakeGenericMethod(arguments)));
    }

    private (double[] H, double[] XBar, double[] WBar, double[] BBar, double[] SquashBar, double[] TimeBar, double[] HDot) Run(string activation, Layer layer,
        double[]? cotangent = null, double[]? tangent = null)
    {
        var device = cpu.Device;
        using var squash = device.Upload(layer.Squash.Length == 0 ? new double[1] : layer.Squash);
        using var l = device.Allocate<double>(Rows * Out);
        using var squashBar = device.Upload(new double[Math.Max(1, layer.Squash.Length)]);
        using var x = device.Upload(layer.X);
        using var t = device.Upload(layer.T);
        using var w = device.Upload(layer.W);
        using var b = device.Upload(layer.B);
        using var z = device.Allocate<double>(Rows * Out);
        using var h = device.Allocate<double>(Rows * Out);
        using var hBar = device.Upload(cotangent ?? new double[Rows * Out]);
        using var zBar = device.Allocate<double>(Rows * Out);
        using var xBar = device.Allocate<double>(Rows * In);
        using var wBar = device.Upload(new double[layer.W.Length]);
        using var bBar = device.Upload(new double[Out]);
        using var timeBar = device.Upload(new double[Rows]);
        using var v = device.Upload(tangent ?? new double[Rows * In]);
        using var hDot = device.Allocate<double>(Rows * Out);
        var args = new LinearLayerArgs<double>
        {
            X = x.View, Time = t.View, W = w.View, B = b.View, Z = z.View, H = h.View, HBar = hBar.View, ZBar = zBar.View, XBar = xBar.View,
            WBar = wBar.View, BBar = bBar.View, TimeBar = timeBar.View, V = v.View, HDot = hDot.View, In = In, Out = Out,
            TimeColumn = layer.TimeColumn, Rows = Rows,
        };
        if (layer.Squash.Length > 0)
            args = args with
            {
                Squash = 1, D = squash.View.SubView(0, Out), G = squash.View.SubView(Out, Out), C = squash.View.SubView(2 * Out, Out), L = l.View,
                SquashBar = squashBar.View,
            };
        Launch(activation, args);
        return (device.Download<double>(h.View), device.Download<double>(xBar.View), device.Download<double>(wBar.View),
            device.Download<double>(bBar.View), layer.Squash.Length == 0 ? [] : device.Download<double>(squashBar.View), device.Download<double>(timeBar.View),
            device.Download<double>(hDot.View));
    }

    // Every kernel, in the order a VJP and a JVP run them.
    private void Launch(string activation, LinearLayerArgs<double> args)
    {
        var kernels = activation switch
        {
            "tanh" => Kernels<Tanh>(),
            "softplus" => Kernels<Softplus>(),
            "sigmoid" => Kernels<Sigmoid>(),
            "relu" => Kernels<Relu>(),
            "elu" => Kernels<Elu>(),
            "swish" => Kernels<Swish>(),
            _ => Kernels<Identity>(),
        };
        var device = cpu.Device;
        device.LaunchElements(kernels.Forward, Rows * Out, args);
        device.LaunchElements(kernels.PreActivation, Rows * Out, args);
        device.LaunchElements(LinearLayerKernels.InputAdjoint<double, Float64>, Rows * In, args);
        device.LaunchElements(LinearLayerKernels.ParameterAdjoint<double, Float64>, args.ParameterCount, args);
        if (args.TimeColumn != 0 || args.Squash != 0)
            device.LaunchElements(LinearLayerKernels.TimeAdjoint<double, Float64>, Rows, args);
        device.LaunchElements(kernels.Tangent, Rows * Out, args);
    }

    private static (Action<Index1D, LinearLayerArgs<double>> Forward, Action<Index1D, LinearLayerArgs<double>> PreActivation, Action<Index1D, LinearLayerArgs<double>> Tangent)
        Kernels<TActivation>() where TActivation : struct, IActivation =>
        (LinearLayerKernels.Forward<double, Float64, TActivation>, LinearLayerKernels.PreActivationAdjoint<double, TActivation>, LinearLayerKernels.Tangent<double, Float64, TActivation>);

    private static double Reference(string activation, Layer l, int r, int o)
    {
        var columns = l.TimeColumn + In;
        var z = l.B[o] + (l.TimeColumn != 0 ? l.W[o * columns] * l.T[r] : 0);
        for (var i = 0; i < In; i++)
            z += l.W[o * columns + l.TimeColumn + i] * l.X[r * In + i];
        if (l.Squash.Length > 0)
            z = z / (1 + Math.Exp(-(l.Squash[Out + o] * l.T[r] + l.Squash[2 * Out + o]))) + l.Squash[o] * l.T[r];
        return activation switch
        {
            "tanh" => Math.Tanh(z),
            "softplus" => Math.Log(1 + Math.Exp(z)),
            "sigmoid" => 1 / (1 + Math.Exp(-z)),
            "relu" => Math.Max(z, 0),
            "elu" => z > 0 ? z : Math.Exp(z) - 1,
            "swish" => z / (1 + Math.Exp(-z)),
            _ => z,
        };
    }


    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{actual}, expected {expected}");

    private static double[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1)];
    }

    // A layer's inputs and parameters on the host; a ConcatSquash's d, g and c in Squash, none otherwise.
    private sealed record Layer(int TimeColumn, double[] X, double[] T, double[] W, double[] B, double[] Squash)
    {
        public static Layer Random(int mode, int seed)
        {
            var timeColumn = mode == 1 ? 1 : 0;
            return new(timeColumn, LinearLayerKernelTests.Random(Rows * In, seed), LinearLayerKernelTests.Random(Rows, seed + 100),
                LinearLayerKernelTests.Random(Out * (timeColumn + In), seed + 200), LinearLayerKernelTests.Random(Out, seed + 300),
                mode == Squashed ? LinearLayerKernelTests.Random(3 * Out, seed + 400) : []);
        }

        public Layer Shifted(int x = -1, int w = -1, int b = -1, int t = -1, int squash = -1, double by = 0) =>
            new(TimeColumn, Shift(X, x, by), Shift(T, t, by), Shift(W, w, by), Shift(B, b, by), Shift(Squash, squash, by));

        public Layer Along(double[] v, double by) => this with { X = [.. X.Zip(v, (x, d) => x + by * d)] };

        private static double[] Shift(double[] values, int k, double by)
        {
            var shifted = (double[])values.Clone();
            if (k >= 0)
                shifted[k] += by;
            return shifted;
        }
    }
}
