using OdeGpu.Device;

namespace OdeGpu.Tests.Support;

/// <summary>A CPU device that launches through ILGPU's CPU accelerator, shared by the tests of one class.</summary>
public sealed class AcceleratorDevice : IDisposable
{
    /// <summary>The device.</summary>
    public OdeDevice Device { get; } = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Accelerator);

    /// <inheritdoc />
    public void Dispose() => Device.Dispose();
}
