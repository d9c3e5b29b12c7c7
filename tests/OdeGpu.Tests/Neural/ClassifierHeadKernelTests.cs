using ILGPU;
using OdeGpu.Neural;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// The classifier head's kernels (<see cref="ClassifierHeadKernels"/>), float64: global average pooling and its VJP, the
/// mean softmax cross-entropy against its definition (finite where logits reach 1000) and its gradient against central
/// differences; every kernel compiled for PTX and OpenCL.
/// </summary>
public sealed class ClassifierHeadKernelTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private const int Rows = 3, Channels = 4, Pixels = 6, Classes = 5;

    [Fact]
    public void Pooling_averages_each_channel_and_spreads_its_cotangent_evenly()
    {
        var maps = Enumerable.Range(0, Rows * Channels * Pixels).Select(k => Math.Sin(k + 0.5)).ToArray();
        var cotangent = Enumerable.Range(0, Rows * Channels).Select(k => Math.Cos(k + 0.5)).ToArray();

        var pooled = Launch(maps, null, ClassifierHeadKernels.Pool<double, Float64>, Rows * Channels).Pooled;
        var mapsBar = Launch(maps, cotangent, ClassifierHeadKernels.PoolAdjoint<double, Float64>, maps.Length).MapsBar;

        for (var k = 0; k < Rows * Channels; k++)
        {
            Assert.Equal(maps.Skip(k * Pixels).Take(Pixels).Average(), pooled[k], 14);
            for (var p = 0; p < Pixels; p++)
                Assert.Equal(cotangent[k] / Pixels, mapsBar[k * Pixels + p], 15);
        }
    }

    [Fact]
    public void The_cross_entropy_is_its_definition_and_its_gradient_matches_central_differences()
    {
        var logits = Enumerable.Range(0, Rows * Classes).Select(k => 3 * Math.Sin(1.7 * k)).ToArray();
        logits[Classes] = 1000;
        int[] labels = [2, 0, 4];

        var (loss, logitsBar) = CrossEntropy(logits, labels);

        double Mean(double[] z) => Enumerable.Range(0, Rows).Sum(r => Definition(z, r, labels[r])) / Rows;
        for (var r = 0; r < Rows; r++)
            Assert.Equal(Definition(logits, r, labels[r]), loss[r], 10);
        Assert.Equal(1000 - logits[Classes], loss[1], 10);
        for (var k = 0; k < logits.Length; k++)
            Assert.True(Math.Abs(CentralDifference.Of(h => Mean(CentralDifference.Shifted(logits, k, h)), 0) - logitsBar[k]) < 1e-9, $"logit {k}");
    }

    [Theory]
    [InlineData(nameof(ClassifierHeadKernels.Pool))]
    [InlineData(nameof(ClassifierHeadKernels.PoolAdjoint))]
    [InlineData(nameof(ClassifierHeadKernels.CrossEntropy))]
    public void Every_kernel_compiles_for_ptx_and_opencl(string name)
    {
        var method = typeof(ClassifierHeadKernels).GetMethod(name)!;
        foreach (var (scalar, precision) in new[] { (typeof(float), typeof(Float32)), (typeof(double), typeof(Float64)) })
            OfflineCompile.ForPtxAndOpenCL(method.MakeGenericMethod(scalar, precision));
    }

    // log sum exp of the row's logits minus its label's, in double through the largest, as the definition.
    private static double Definition(double[] logits, int row, int label)
    {
        var z = logits.Skip(row * Classes).Take(Classes).ToArray();
        var largest = z.Max();
        return largest + Math.Log(z.Sum(v => Math.Exp(v - largest))) - z[label];
    }

    private (double[] Pooled, double[] MapsBar) Launch(double[] maps, double[]? cotangent, Action<Index1D, ClassifierHeadArgs<double>> kernel, int length)
    {
        var device = cpu.Device;
        using var m = device.Upload(maps);
        using var pooled = cotangent is null ? device.Allocate<double>(Rows * Channels) : device.Upload(cotangent);
        using var mapsBar = device.Allocate<double>(maps.Length);
        device.LaunchElements(kernel, length, new ClassifierHeadArgs<double> { Maps = m.View, Pooled = pooled.View, MapsBar = mapsBar.View, Rows = Rows, Channels = Channels, Pixels = Pixels });
        return (device.Download<double>(pooled.View), device.Download<double>(mapsBar.View));
    }

    private (double[] Loss, double[] LogitsBar) CrossEntropy(double[] logits, int[] labels)
    {
        var device = cpu.Device;
        using var z = device.Upload(logits);
        using var l = device.Upload(labels);
        using var loss = device.Allocate<double>(Rows);
        using var bar = device.Allocate<double>(logits.Length);
        device.LaunchElements(ClassifierHeadKernels.CrossEntropy<double, Float64>, Rows,
            new ClassifierHeadArgs<double> { Logits = z.View, Labels = l.View, Loss = loss.View, LogitsBar = bar.View, Rows = Rows, Classes = Classes });
        return (device.Download<double>(loss.View), device.Download<double>(bar.View));
    }
}
