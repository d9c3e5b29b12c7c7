using OdeGpu.Device;

namespace OdeGpu.Cli.Commands;

/// <summary><c>odegpu devices</c>: every device found, the one that would be used, and why others were refused.</summary>
internal static class DevicesCommand
{
    /// <summary>Prints the device list; returns 0, or 2 when ODEGPU_DEVICE forces a backend that is not here.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        CommandLine.Parse(args, [], [], []).Positional.ForEach(p => throw new ArgumentException($"devices takes no arguments, but got '{p}'", p));
        var devices = DeviceCatalog.Discover();
        var preferred = DeviceCatalog.Preferred(devices);
        var chosen = devices.FirstOrDefault(d => d.Usable && d.Kind == preferred);
        foreach (var device in devices)
        {
            var mark = ReferenceEquals(device, chosen) ? "*" : " ";
            var memory = $"{device.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB";
            var state = device.Usable ? "usable" : $"refused: {device.RefusedBecause}";
            output.WriteLine($"{mark} {device.Kind.ToString().ToLowerInvariant(),-7} {device.Name}  ({memory})  {state}");
        }
        if (!devices.Any(d => d.Kind == DeviceKind.Cuda))
            output.WriteLine("  cuda    none found (no NVIDIA driver or GPU)");
        if (!devices.Any(d => d.Kind == DeviceKind.OpenCL))
            output.WriteLine("  opencl  none found (no OpenCL loader libOpenCL.so or no platform)");
        var forced = DeviceCatalog.Forced() is { } f ? $"{DeviceCatalog.EnvironmentVariable}={f.ToString().ToLowerInvariant()}" : null;
        if (chosen is null)
        {
            output.WriteLine($"no device would be used: {forced} names no usable device");
            return 2;
        }
        output.WriteLine($"* = used by default{(forced is null ? "" : $" ({forced})")}");
        return 0;
    }
}
