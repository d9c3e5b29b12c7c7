using OdeGpu.Device;

namespace OdeGpu.Tests.Kernels;

/// <summary>OpenCL devices OdeGpu cannot use are refused with the reason, before any kernel is compiled for them.</summary>
public sealed class DeviceRefusalTests
{
    [Fact]
    public void A_device_without_double_precision_is_refused_because_time_is_double()
    {
        var reason = DeviceCatalog.OpenCLRefusal("3.0", genericAddressSpace: true, float64: false);

        Assert.NotNull(reason);
        Assert.Contains("cl_khr_fp64", reason);
    }

    [Fact]
    public void A_device_without_generic_address_space_is_refused_for_ilgpu()
    {
        var reason = DeviceCatalog.OpenCLRefusal("1.2", genericAddressSpace: false, float64: true);

        Assert.NotNull(reason);
        Assert.Contains("generic address space", reason);
    }

    [Fact]
    public void A_device_with_both_is_usable() =>
        Assert.Null(DeviceCatalog.OpenCLRefusal("2.0", genericAddressSpace: true, float64: true));
}
