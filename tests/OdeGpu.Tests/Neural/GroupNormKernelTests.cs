using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// GroupNorm's kernels (<see cref="GroupNormKernels"/>), float64: the forward pass against its definition and the VJP
/// in the input, gamma and beta against central differences, with several channels per group (6 in 3) and one
/// (odenet_mnist's 64 channels in 32 groups has two), on the kernels and on their SIMD twin; every kernel compiled for
/// PTX and OpenCL.
/// </summary>
public sealed class GroupNormKernelTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private const int Rows = 2, Channels = 6, Pixels = 5;

    [Theory]
    [InlineData(3, false)]
    [InlineData(6, false)]
    [InlineData(3, true)]
    [InlineData(6, true)]
    public void The_forward_pass_is_the_definition_and_its_vjp_matches_central_differences(int groups, bool twin)
    {
        var random = new Random(groups);
        double[] Draw(int n) => [.. Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1)];
        var x = Draw(Rows * Channels * Pixels);
        var gamma = Draw(Channels);
        var beta = Draw(Channels);
        var yBar = Draw(x.Length);

        var (y, xBar, parameterBar) = Run(groups, x, gamma, beta, yBar, twin);

        var reference = Reference(groups, x, gamma, beta);
        for (var k = 0; k < x.Length; k++)
            Assert.Equal(reference[k], y[k], 12);
        double Loss(double[] xs, double[] gs, double[] bs) => Reference(groups, xs, gs, bs).Zip(yBar, (p, q) => p * q).Sum();
        for (var k = 0; k < x.Length; k++)
            AssertClose(CentralDifference.Of(h => Loss(CentralDifference.Shifted(x, k, h), gamma, beta), 0), xBar[k]);
        for (var c = 0; c < Channels; c++)
        {
            AssertClose(CentralDifference.Of(h => Loss(x, CentralDifference.Shifted(gamma, c, h), beta), 0), parameterBar[c]);
            AssertClose(CentralDifference.Of(h => Loss(x, gamma, CentralDifference.Shifted(beta, c, h)), 0), parameterBar[Channels + c]);
        }
    }

    [Theory]
    [InlineData(nameof(GroupNormKernels.Statistics))]
    [InlineData(nameof(GroupNormKernels.Forward))]
    [InlineData(nameof(GroupNormKernels.AdjointSums))]
    [InlineData(nameof(GroupNormKernels.InputAdjoint))]
    [InlineData(nameof(GroupNormKernels.ParameterAdjoint))]
    public void Every_kernel_compiles_for_ptx_and_opencl(string name)
    {
        var method = typeof(GroupNormKernels).GetMethod(name)!;
        foreach (var (scalar, precision) in new[] { (typeof(float), typeof(Float32)), (typeof(double), typeof(Float64)) })
        {
            OfflineCompile.ForPtxAndOpenCL(method.GetGenericArguments().Length == 1 ? method.MakeGenericMethod(scalar) : method.MakeGenericMethod(scalar, precision));
        }
    }

    private (double[] Y, double[] XBar, double[] ParameterBar) Run(int groups, double[] x, double[] gamma, double[] beta, double[] yBar, bool twin)
    {
        var device = cpu.Device;
        using var xs = device.Upload(x);
        using var gs = device.Upload(gamma);
        using var bs = device.Upload(beta);
        using var bars = device.Upload(yBar);
        using var stats = device.Allocate<double>(Rows * groups * 2);
        using var sums = device.Allocate<double>(Rows * groups * 2);
        using var y = device.Allocate<double>(x.Length);
        using var xBar = device.Allocate<double>(x.Length);
        using var parameterBar = device.Allocate<double>(2 * Channels);
        var args = new GroupNormArgs<double>
        {
            X = xs.View, Gamma = gs.View, Beta = bs.View, Stats = stats.View, Sums = sums.View, Y = y.View, YBar = bars.View, XBar = xBar.View,
            ParameterBar = parameterBar.View, Rows = Rows, Channels = Channels, Groups = groups, Pixels = Pixels, Epsilon = 1e-5,
        };
        if (twin)
        {
            SimdPrimitives.GroupNormForward<double, Float64>(device, args);
            SimdPrimitives.GroupNormBackward<double, Float64>(device, args, input: true);
            return (device.Download<double>(y.View), device.Download<double>(xBar.View), device.Download<double>(parameterBar.View));
        }
        device.LaunchElements(GroupNormKernels.Statistics<double, Float64>, Rows * groups, args);
        device.LaunchElements(GroupNormKernels.Forward<double>, x.Length, args);
        device.LaunchElements(GroupNormKernels.AdjointSums<double>, Rows * groups, args);
        device.LaunchElements(GroupNormKernels.InputAdjoint<double, Float64>, x.Length, args);
        device.LaunchElements(GroupNormKernels.ParameterAdjoint<double>, 2 * Channels, args);
        return (device.Download<double>(y.View), device.Download<double>(xBar.View), device.Download<double>(parameterBar.View));
    }

    // nn.GroupNorm by its definition: each row's group normalized by its mean and biased variance, then per channel gamma and beta.
    private static double[] Reference(int groups, double[] x, double[] gamma, double[] beta)
    {
        var y = new double[x.Length];
        var size = Channels / groups * Pixels;
        for (var start = 0; start < x.Length; start += size)
        {
            var group = x[start..(start + size)];
            var mean = group.Average();
            var variance = group.Sum(v => (v - mean) * (v - mean)) / size;
            for (var k = start; k < start + size; k++)
            {
                var c = k / Pixels % Channels;
                y[k] = (x[k] - mean) / Math.Sqrt(variance + 1e-5) * gamma[c] + beta[c];
            }
        }
        return y;
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
