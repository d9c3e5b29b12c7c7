using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// The convolution kernels (<see cref="Conv2dKernels"/>), float64, on small random inputs: the forward pass against a
/// direct definition, and its VJP in the input, every weight, the bias and the time against central differences, for
/// odenet_mnist's shapes (3x3 stride 1 padding 1, 4x4 stride 2 padding 1, 3x3 unpadded) and ConcatConv2d's time
/// channel; every kernel compiled for PTX and OpenCL.
/// </summary>
public sealed class Conv2dKernelTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private const int Rows = 2, In = 3, Out = 4, Height = 7, Width = 6;

    [Theory]
    [InlineData(3, 1, 1, 0)]
    [InlineData(4, 2, 1, 0)]
    [InlineData(3, 1, 0, 0)]
    [InlineData(3, 1, 1, 1)]
    public void The_forward_pass_is_the_direct_definition_and_its_vjp_matches_central_differences(int kernel, int stride, int padding, int timeChannel)
    {
        var shape = new Conv2dArgs<double> { Rows = Rows, In = In, Out = Out, Height = Height, Width = Width, Kernel = kernel, Stride = stride, Padding = padding, TimeChannel = timeChannel };
        var random = new Random(kernel * 10 + stride + padding + timeChannel);
        double[] Draw(long n) => [.. Enumerable.Range(0, (int)n).Select(_ => 2 * random.NextDouble() - 1)];
        var x = Draw(Rows * In * Height * Width);
        var w = Draw((long)Out * (timeChannel + In) * kernel * kernel);
        var b = Draw(Out);
        double[] time = [0.3, -0.7];
        var outputs = (long)Rows * Out * shape.OutHeight * shape.OutWidth;
        var yBar = Draw(outputs);

        var (y, xBar, wBar, bBar, tBar) = Run(shape, x, w, b, time, yBar);

        var reference = Reference(shape, x, w, b, time);
        for (var k = 0; k < outputs; k++)
            Assert.Equal(reference[k], y[k], 13);
        double Loss(double[] xs, double[] ws, double[] bs, double[] ts) => Reference(shape, xs, ws, bs, ts).Zip(yBar, (p, q) => p * q).Sum();
        for (var k = 0; k < x.Length; k += 5)
            AssertClose(CentralDifference.Of(h => Loss(CentralDifference.Shifted(x, k, h), w, b, time), 0), xBar[k]);
        for (var k = 0; k < w.Length; k += 3)
            AssertClose(CentralDifference.Of(h => Loss(x, CentralDifference.Shifted(w, k, h), b, time), 0), wBar[k]);
        for (var k = 0; k < Out; k++)
            AssertClose(CentralDifference.Of(h => Loss(x, w, CentralDifference.Shifted(b, k, h), time), 0), bBar[k]);
        for (var r = 0; r < Rows && timeChannel != 0; r++)
            AssertClose(CentralDifference.Of(h => Loss(x, w, b, CentralDifference.Shifted(time, r, h)), 0), tBar[r]);
    }

    [Theory]
    [InlineData(19, 5, 6, 6, 6, 3, 1, 1, 1, true)]
    [InlineData(3, 4, 5, 26, 26, 4, 2, 1, 0, true)]
    [InlineData(5, 1, 7, 28, 28, 3, 1, 0, 0, false)]
    [InlineData(40, 3, 2, 6, 6, 3, 1, 1, 0, true)]
    [InlineData(4, 2, 3, 7, 5, 5, 1, 2, 1, true)]
    [InlineData(3, 2, 3, 4, 9, 3, 1, 1, 0, false)]
    public void The_simd_twin_gives_the_kernels_results(int rows, int inputs, int outputs, int height, int width, int kernel, int stride, int padding, int timeChannel, bool input)
    {
        var device = cpu.Device;
        var random = new Random(rows + inputs + kernel);
        double[] Draw(long n) => [.. Enumerable.Range(0, (int)n).Select(_ => 2 * random.NextDouble() - 1)];
        var shape = new Conv2dArgs<double> { Rows = rows, In = inputs, Out = outputs, Height = height, Width = width, Kernel = kernel, Stride = stride, Padding = padding, TimeChannel = timeChannel };
        var outputLength = (long)rows * outputs * shape.OutHeight * shape.OutWidth;
        using var x = device.Upload(Draw(rows * inputs * height * width));
        using var w = device.Upload(Draw((long)outputs * (timeChannel + inputs) * kernel * kernel));
        using var b = device.Upload(Draw(outputs));
        using var time = device.Upload(Draw(rows));
        using var yBar = device.Upload(Draw(outputLength));
        double[][] Pass(bool twin)
        {
            using var y = device.Allocate<double>(outputLength);
            using var xBar = device.Allocate<double>(x.Length);
            using var wBar = device.Allocate<double>(w.Length);
            using var bBar = device.Allocate<double>(outputs);
            using var tBar = device.Allocate<double>(rows);
            var args = shape with { X = x.View, W = w.View, B = b.View, Time = time.View, Y = y.View, YBar = yBar.View, XBar = xBar.View, WBar = wBar.View, BBar = bBar.View, TimeBar = tBar.View };
            if (twin)
            {
                SimdPrimitives.Conv2dForward<double, Float64>(device, args);
                SimdPrimitives.Conv2dBackward<double, Float64>(device, args, input);
            }
            else
            {
                device.LaunchElements(Conv2dKernels.Forward<double, Float64>, outputLength, args);
                device.LaunchElements(Conv2dKernels.InputAdjoint<double>, x.Length, args);
                device.LaunchElements(Conv2dKernels.ParameterAdjoint<double, Float64>, w.Length + outputs, args);
                device.LaunchElements(Conv2dKernels.TimeAdjoint<double>, rows, args);
            }
            return [device.Download<double>(y.View), input ? device.Download<double>(xBar.View) : [], device.Download<double>(wBar.View), device.Download<double>(bBar.View),
                timeChannel != 0 ? device.Download<double>(tBar.View) : []];
        }

        var (expected, actual) = (Pass(twin: false), Pass(twin: true));

        for (var part = 0; part < expected.Length; part++)
            for (var k = 0; k < expected[part].Length; k++)
                AssertClose(expected[part][k], actual[part][k]);
    }

    [Theory]
    [InlineData(nameof(Conv2dKernels.Forward))]
    [InlineData(nameof(Conv2dKernels.InputAdjoint))]
    [InlineData(nameof(Conv2dKernels.ParameterAdjoint))]
    [InlineData(nameof(Conv2dKernels.TimeAdjoint))]
    public void Every_kernel_compiles_for_ptx_and_opencl(string name)
    {
        var method = typeof(Conv2dKernels).GetMethod(name)!;
        foreach (var (scalar, precision) in new[] { (typeof(float), typeof(Float32)), (typeof(double), typeof(Float64)) })
        {
            OfflineCompile.ForPtxAndOpenCL(method.GetGenericArguments().Length == 1 ? method.MakeGenericMethod(scalar) : method.MakeGenericMethod(scalar, precision));
        }
    }

    private (double[] Y, double[] XBar, double[] WBar, double[] BBar, double[] TimeBar) Run(Conv2dArgs<double> shape, double[] x, double[] w, double[] b,
        double[] time, double[] yBar)
    {
        var device = cpu.Device;
        using var xs = device.Upload(x);
        using var ws = device.Upload(w);
        using var bs = device.Upload(b);
        using var ts = device.Upload(time);
        using var bars = device.Upload(yBar);
        using var y = device.Allocate<double>(yBar.Length);
        using var xBar = device.Allocate<double>(x.Length);
        using var wBar = device.Allocate<double>(w.Length);
        using var bBar = device.Allocate<double>(b.Length);
        using var tBar = device.Allocate<double>(Rows);
        var args = shape with { X = xs.View, W = ws.View, B = bs.View, Time = ts.View, Y = y.View, YBar = bars.View, XBar = xBar.View, WBar = wBar.View, BBar = bBar.View, TimeBar = tBar.View };
        device.LaunchElements(Conv2dKernels.Forward<double, Float64>, yBar.Length, args);
        device.LaunchElements(Conv2dKernels.InputAdjoint<double>, x.Length, args);
        device.LaunchElements(Conv2dKernels.ParameterAdjoint<double, Float64>, w.Length + b.Length, args);
        device.LaunchElements(Conv2dKernels.TimeAdjoint<double>, Rows, args);
        return (device.Download<double>(y.View), device.Download<double>(xBar.View), device.Download<double>(wBar.View), device.Download<double>(bBar.View),
            device.Download<double>(tBar.View));
    }

    // The convolution by its definition: every output pixel the sum over channels and the kernel window of the padded input.
    private static double[] Reference(Conv2dArgs<double> a, double[] x, double[] w, double[] b, double[] time)
    {
        int channels = a.TimeChannel + a.In, outHeight = a.OutHeight, outWidth = a.OutWidth;
        var y = new double[Rows * a.Out * outHeight * outWidth];
        double Input(int row, int c, int iy, int ix) =>
            iy < 0 || iy >= a.Height || ix < 0 || ix >= a.Width ? 0 : c < a.TimeChannel ? time[row] : x[((row * a.In + c - a.TimeChannel) * a.Height + iy) * a.Width + ix];
        for (var row = 0; row < Rows; row++)
            for (var o = 0; o < a.Out; o++)
                for (var oy = 0; oy < outHeight; oy++)
                    for (var ox = 0; ox < outWidth; ox++)
                    {
                        var sum = b[o];
                        for (var c = 0; c < channels; c++)
                            for (var ky = 0; ky < a.Kernel; ky++)
                                for (var kx = 0; kx < a.Kernel; kx++)
                                    sum += w[((o * channels + c) * a.Kernel + ky) * a.Kernel + kx] * Input(row, c, oy * a.Stride + ky - a.Padding, ox * a.Stride + kx - a.Padding);
                        y[((row * a.Out + o) * outHeight + oy) * outWidth + ox] = sum;
                    }
        return y;
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
