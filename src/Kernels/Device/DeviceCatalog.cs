using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.OpenCL;

namespace OdeGpu.Device;

/// <summary>Finds the devices of this machine and picks one: CUDA, then OpenCL, then the CPU.</summary>
public static class DeviceCatalog
{
    /// <summary>The environment variable that forces a backend: cpu, cuda or opencl.</summary>
    public const string EnvironmentVariable = "ODEGPU_DEVICE";

    /// <summary>Every device found, usable or not, in the order of preference.</summary>
    public static IReadOnlyList<DeviceInfo> Discover()
    {
        var found = new List<DeviceInfo>();
        using (var context = OdeDevice.CreateContext())
        {
            foreach (var device in context.Devices.Where(d => d.AcceleratorType == AcceleratorType.Cuda))
                found.Add(new DeviceInfo(DeviceKind.Cuda, device.Name, device.MemorySize, null));
        }
        found.AddRange(DiscoverOpenCL());
        found.Add(new DeviceInfo(DeviceKind.Cpu, $"CPU ({Environment.ProcessorCount} cores)", GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, null));
        return found;
    }

    /// <summary>The kind the next <see cref="OdeDevice.Open"/> without arguments would use.</summary>
    public static DeviceKind Preferred(IReadOnlyList<DeviceInfo> devices) =>
        Forced() ?? devices.First(d => d.Usable).Kind;

    /// <summary>The kind named by <see cref="EnvironmentVariable"/>, or null when it is unset.</summary>
    /// <exception cref="ArgumentException">The variable names no known backend.</exception>
    public static DeviceKind? Forced()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(value) ? null : Parse(value, EnvironmentVariable);
    }

    /// <summary>Why OdeGpu cannot use an OpenCL device, or null when it can.</summary>
    /// <param name="cVersion">The device's OpenCL C version, for the message.</param>
    /// <param name="genericAddressSpace">Whether it has OpenCL C 2.0's generic address space, which ILGPU requires.</param>
    /// <param name="float64">Whether it has double precision (cl_khr_fp64): every kernel keeps time and step sizes in double.</param>
    public static string? OpenCLRefusal(string cVersion, bool genericAddressSpace, bool float64) =>
        !genericAddressSpace ? $"OpenCL C {cVersion} without generic address space, which ILGPU requires"
        : !float64 ? "no double precision (cl_khr_fp64), which OdeGpu's kernels need for time and step sizes"
        : null;

    /// <summary>Parses "cpu", "cuda" or "opencl" (any case).</summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="argument">The argument or variable the text came from, for the error message.</param>
    /// <exception cref="ArgumentException">The text names no known backend.</exception>
    public static DeviceKind Parse(string value, string argument) => value.Trim().ToLowerInvariant() switch
    {
        "cpu" => DeviceKind.Cpu,
        "cuda" => DeviceKind.Cuda,
        "opencl" => DeviceKind.OpenCL,
        _ => throw new ArgumentException($"{argument} must be cpu, cuda or opencl, but was '{value}'", argument),
    };

    private static IEnumerable<DeviceInfo> DiscoverOpenCL()
    {
        var devices = new List<CLDevice>();
        try
        {
            using var context = Context.Create(b => b.OpenCL(_ => true));
            foreach (var device in context.GetCLDevices())
                devices.Add(device);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            yield break; // no OpenCL loader installed: nothing to list
        }
        foreach (var device in devices)
        {
            var refused = OpenCLRefusal(device.CVersion.ToString(), device.Capabilities.GenericAddressSpace, device.Capabilities.Float64);
            yield return new DeviceInfo(DeviceKind.OpenCL, device.Name, device.MemorySize, refused);
        }
    }
}
