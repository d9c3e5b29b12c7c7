using ILGPU;
using OdeGpu.Device;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Kernels;

/// <summary>The direct CPU launcher's small-launch path: what a batched step pays a few dozen times.</summary>
public sealed class DirectLaunchTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Fact]
    public void A_small_direct_launch_allocates_nothing_on_the_host()
    {
        using var counters = cpu.Device.Allocate<int>(5);
        var view = counters.View;
        cpu.Device.Launch<ArrayView<int>>(Clear, 5, view); // JIT and statics first

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            cpu.Device.Launch<ArrayView<int>>(Clear, 5, view);

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static void Clear(Index1D index, ArrayView<int> values) => values[index] = 0;

    [Fact]
    public void Read_copies_a_view_into_an_existing_array_on_both_launchers()
    {
        using var accelerator = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Accelerator);
        foreach (var device in new[] { cpu.Device, accelerator })
        {
            using var buffer = device.Upload(new[] { 3, 1, 4 });
            var target = new[] { 0, 0, 0, 9 };

            device.Read(buffer.View, target);
            var error = Assert.Throws<ArgumentException>(() => device.Read(buffer.View, new int[2]));

            Assert.Equal([3, 1, 4, 9], target);
            Assert.Equal("target", error.ParamName);
        }
    }
}
