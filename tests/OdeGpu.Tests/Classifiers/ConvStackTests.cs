using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Neural.Classifiers;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Classifiers;

/// <summary>
/// A stack of convolutions, GroupNorms and ReLUs (<see cref="ConvStack{T, TP}"/>), float64: its VJP in the parameters,
/// the input and the rows' times against central differences of &lt;outputBar, output&gt;, on the SIMD twins (direct
/// launcher) and on the kernels (ILGPU's CPU accelerator).
/// </summary>
public sealed class ConvStackTests(CpuDevice direct, AcceleratorDevice accelerator) : IClassFixture<CpuDevice>, IClassFixture<AcceleratorDevice>
{
    private const int Rows = 2;

    public static TheoryData<string, bool> Stacks => new() { { "gn-relu-conv", true }, { "gn-relu-conv", false }, { "concat-gn-relu", true }, { "concat-gn-relu", false }, { "strided", true } };

    [Theory]
    [MemberData(nameof(Stacks))]
    public void The_vjp_matches_central_differences(string name, bool twin)
    {
        var (input, layers) = name switch
        {
            "gn-relu-conv" => (new ImageShape(4, 6, 6), (ImageLayer[])[new GroupNorm("n"), new ReluLayer(), new Convolution("c", 4, 3, 1, 1, Bias: false)]),
            "concat-gn-relu" => (new ImageShape(4, 6, 6), [new Convolution("c", 4, 3, 1, 1, TimeChannel: true), new GroupNorm("n"), new ReluLayer()]),
            _ => (new ImageShape(2, 9, 9), [new Convolution("a", 4, 3), new GroupNorm("n"), new ReluLayer(), new Convolution("b", 3, 4, 2, 1)]),
        };
        var device = twin ? direct.Device : accelerator.Device;
        var random = new Random(11);
        double[] Draw(int n) => [.. Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1)];
        var parameters = Draw(ImageLayers.ParameterCount(input, layers));
        var x = Draw(Rows * input.Size);
        double[] time = [0.25, 0.75];
        var output = ImageLayers.OutputOf(input, layers);
        var outputBar = Draw(Rows * output.Size);
        using var theta = device.Upload(parameters);
        using var xs = device.Upload(x);
        using var ts = device.Upload(time);
        using var bars = device.Upload(outputBar);
        using var gradient = device.Allocate<double>(parameters.Length);
        using var xBar = device.Allocate<double>(x.Length);
        using var tBar = device.Allocate<double>(Rows);
        using var stack = new ConvStack<double, Float64>(device, Rows, input, layers, theta.View);

        stack.Forward(xs.View, ts.View);
        stack.Backward(bars.View, gradient.View, xBar.View, ts.View, tBar.View);
        var (dTheta, dX, dT) = (device.Download<double>(gradient.View), device.Download<double>(xBar.View), device.Download<double>(tBar.View));

        double Loss(double[] p, double[] xv, double[] tv)
        {
            theta.View.CopyFromCPU(p);
            xs.View.CopyFromCPU(xv);
            ts.View.CopyFromCPU(tv);
            stack.Forward(xs.View, ts.View);
            return device.Download<double>(stack.Result).Zip(outputBar, (a, b) => a * b).Sum();
        }
        for (var k = 0; k < parameters.Length; k += 3)
            AssertClose(CentralDifference.Of(h => Loss(CentralDifference.Shifted(parameters, k, h), x, time), 0), dTheta[k]);
        for (var k = 0; k < x.Length; k += 7)
            AssertClose(CentralDifference.Of(h => Loss(parameters, CentralDifference.Shifted(x, k, h), time), 0), dX[k]);
        for (var r = 0; r < Rows && name == "concat-gn-relu"; r++)
            AssertClose(CentralDifference.Of(h => Loss(parameters, x, CentralDifference.Shifted(time, r, h)), 0), dT[r]);
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-7 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
