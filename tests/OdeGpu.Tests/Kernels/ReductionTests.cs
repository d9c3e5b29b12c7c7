using ILGPU.Algorithms.ScanReduceOperations;
using OdeGpu.Device;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Kernels;

/// <summary>The device reduction that replaces per-thread counters: the host loop of the direct launcher and ILGPU's grid reduction agree.</summary>
public sealed class ReductionTests(CpuDevice direct, AcceleratorDevice accelerator) : IClassFixture<CpuDevice>, IClassFixture<AcceleratorDevice>
{
    [Fact]
    public void Sums_of_longs_pass_the_int_range_on_both_launchers()
    {
        // 5000 values near 2^31: the sum needs 64 bits.
        var values = Enumerable.Range(0, 5000).Select(i => int.MaxValue - (long)i).ToArray();
        var expected = values.Sum();

        Assert.Equal(expected, Reduce<long, AddInt64>(direct.Device, values));
        Assert.Equal(expected, Reduce<long, AddInt64>(accelerator.Device, values));
    }

    [Fact]
    public void Counts_and_maxima_of_row_flags_agree_on_both_launchers()
    {
        var flags = Enumerable.Range(0, 3001).Select(i => i % 7 == 0 ? 2 : i % 3 == 0 ? 1 : 0).ToArray();

        foreach (var device in new[] { direct.Device, accelerator.Device })
        {
            Assert.Equal(flags.Sum(), Reduce<int, AddInt32>(device, flags));
            Assert.Equal(2, Reduce<int, MaxInt32>(device, flags));
        }
    }

    [Fact]
    public void The_result_is_overwritten_not_accumulated()
    {
        foreach (var device in new[] { direct.Device, accelerator.Device })
        {
            using var values = device.Upload(new long[] { 1, 2, 3 });
            using var result = device.Upload(new long[] { 1000 });

            device.Reduce<long, AddInt64>(values.View, result.View);

            Assert.Equal(6, device.Download<long>(result.View)[0]);
        }
    }

    private static T Reduce<T, TOp>(OdeDevice device, T[] data)
        where T : unmanaged
        where TOp : struct, IScanReduceOperation<T>
    {
        using var values = device.Upload(data);
        using var result = device.Allocate<T>(1);
        device.Reduce<T, TOp>(values.View, result.View);
        return device.Download<T>(result.View)[0];
    }
}
