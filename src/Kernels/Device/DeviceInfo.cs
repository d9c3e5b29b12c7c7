namespace OdeGpu.Device;

/// <summary>A device found on this machine, and why it cannot be used if it cannot.</summary>
/// <param name="Kind">The backend.</param>
/// <param name="Name">The device's own name.</param>
/// <param name="MemoryBytes">Device memory in bytes (host memory for the CPU).</param>
/// <param name="RefusedBecause">Null when usable; otherwise the reason it is refused.</param>
public sealed record DeviceInfo(DeviceKind Kind, string Name, long MemoryBytes, string? RefusedBecause)
{
    /// <summary>True when the device can run OdeGpu's kernels.</summary>
    public bool Usable => RefusedBecause is null;
}
