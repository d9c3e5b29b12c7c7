using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>The fused kernel's [slot][component][trajectory] layout, and back to the host's [trajectory][slot][component].</summary>
public sealed class ComponentMajorTests
{
    [Theory]
    [InlineData(CpuLauncher.Direct, 1, 1, 1)]
    [InlineData(CpuLauncher.Direct, 150, 3, 2)] // rows over more than one block of the transposition, the last one partial
    [InlineData(CpuLauncher.Direct, 64, 201, 2)]
    [InlineData(CpuLauncher.Accelerator, 150, 3, 2)] // from a downloaded copy
    public void The_layout_downloaded_transposed_is_the_rows_again(CpuLauncher launcher, int count, int slots, int dimension)
    {
        static double Element(int i, int j, int d) => i * 1000.0 + j * 10.0 + d;
        using var device = OdeDevice.Open(DeviceKind.Cpu, launcher);

        var layout = ComponentMajor.Layout(count, slots, dimension, Element);
        using var buffer = device.Upload(layout);
        var rows = device.DownloadTransposed<double>(buffer.View, count, (long)slots * dimension);

        Assert.Equal(Element(count - 1, slots - 1, dimension - 1), layout[^1]);
        for (var i = 0; i < count; i++)
            for (var j = 0; j < slots; j++)
                for (var d = 0; d < dimension; d++)
                    Assert.Equal(Element(i, j, d), rows[((long)i * slots + j) * dimension + d]);
    }

    [Theory]
    [InlineData(CpuLauncher.Direct)]
    [InlineData(CpuLauncher.Accelerator)]
    public void A_filled_buffer_holds_the_value_everywhere(CpuLauncher launcher)
    {
        using var device = OdeDevice.Open(DeviceKind.Cpu, launcher);
        using var buffer = device.Allocate<float>(600_000); // more than one part of a parallel fill

        device.Fill(buffer.View, float.NaN);

        Assert.All(device.Download<float>(buffer.View), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void A_transposition_of_the_wrong_size_is_refused()
    {
        using var device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        using var buffer = device.Allocate<double>(10);

        var error = Assert.Throws<ArgumentException>(() => device.DownloadTransposed<double>(buffer.View, 3, 4));
        Assert.Equal("view", error.ParamName);
    }
}
