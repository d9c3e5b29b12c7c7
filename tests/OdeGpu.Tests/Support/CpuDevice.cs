using OdeGpu.Device;

namespace OdeGpu.Tests.Support;

/// <summary>A CPU device with the direct launcher, shared by the tests of one class (xunit runs a class's tests in sequence).</summary>
public sealed class CpuDevice : IDisposable
{
    /// <summary>The device.</summary>
    public OdeDevice Device { get; } = OdeDevice.Open(DeviceKind.Cpu);

    /// <inheritdoc />
    public void Dispose() => Device.Dispose();
}
