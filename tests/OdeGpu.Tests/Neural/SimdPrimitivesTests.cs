using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// The SIMD twin of the dense layer's forward pass (<see cref="SimdPrimitives.DenseForward"/> on the direct CPU launcher)
/// against the ILGPU kernel it replaces, in float and double, for layer shapes narrower and wider than a vector, with and
/// without the time column, on one row and on enough rows to spread over the cores: equal up to the sums' rounding.
/// </summary>
public sealed class SimdPrimitivesTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Theory]
    [InlineData(1, 4, 32, 0)]
    [InlineData(300, 32, 32, 1)]
    [InlineData(300, 32, 4, 0)]
    [InlineData(7, 3, 5, 1)]
    [InlineData(129, 50, 2, 1)]
    public void The_dense_forward_twin_matches_the_kernel(int rows, int inputs, int outputs, int timeColumn)
    {
        Compare<double, Float64>(rows, inputs, outputs, timeColumn, 1e-13);
        Compare<float, Float32>(rows, inputs, outputs, timeColumn, 1e-5);
    }

    private void Compare<T, TP>(int rows, int inputs, int outputs, int timeColumn, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var device = cpu.Device;
        var random = new Random(rows * 1000 + inputs);
        T[] Random(int length) => [.. Enumerable.Range(0, length).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1))];
        using var x = device.Upload(Random(rows * inputs));
        using var t = device.Upload(Enumerable.Range(0, rows).Select(r => 0.1 * r - 1).ToArray());
        using var w = device.Upload(Random(outputs * (timeColumn + inputs)));
        using var b = device.Upload(Random(outputs));
        using var zKernel = device.Allocate<T>(rows * outputs);
        using var hKernel = device.Allocate<T>(rows * outputs);
        using var zSimd = device.Allocate<T>(rows * outputs);
        using var hSimd = device.Allocate<T>(rows * outputs);
        var args = new LinearLayerArgs<T> { X = x.View, Time = t.View, W = w.View, B = b.View, In = inputs, Out = outputs, TimeColumn = timeColumn, Rows = rows };

        device.LaunchElements(LinearLayerKernels.Forward<T, TP, Softplus>, rows * outputs, args with { Z = zKernel.View, H = hKernel.View });
        SimdPrimitives.DenseForward<T, TP, Softplus>(device, args with { Z = zSimd.View, H = hSimd.View });

        foreach (var (kernel, simd) in new[] { (zKernel, zSimd), (hKernel, hSimd) })
        {
            var (expected, actual) = (device.Download<T>(kernel.View), device.Download<T>(simd.View));
            for (var e = 0; e < expected.Length; e++)
            {
                var (u, v) = (double.CreateTruncating(expected[e]), double.CreateTruncating(actual[e]));
                Assert.True(Math.Abs(u - v) <= tolerance * Math.Max(1, Math.Abs(u)), $"{typeof(T).Name} element {e}: {v}, kernel {u}");
            }
        }
    }
}
