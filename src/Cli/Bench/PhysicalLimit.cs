using ILGPU.Runtime.Cuda;
using OdeGpu.Device;

namespace OdeGpu.Cli.Bench;

/// <summary>
/// The ceiling of BENCHMARKS.md: trajectory-steps per second = lane instructions per second / instructions per step.
/// A fused Lorenz Tsit5 step costs about 105 SIMT instructions at fixed step and 230 adaptive; RK4 about 70.
/// </summary>
internal static class PhysicalLimit
{
    // The project's CPU machines: 2.6 GHz, AVX-512 (16 float lanes, 8 double).
    private const double CpuClock = 2.6e9;

    /// <summary>Lane instructions per second of the device, or null when unknown (OpenCL).</summary>
    public static double? LaneRate(OdeDevice device, bool doublePrecision) => device.Kind switch
    {
        DeviceKind.Cuda when device.Accelerator is CudaAccelerator cuda =>
            cuda.NumMultiprocessors * 128.0 * cuda.ClockRate * 1e3 / (doublePrecision ? 2 : 1),
        DeviceKind.Cpu => Environment.ProcessorCount * (doublePrecision ? 8.0 : 16.0) * CpuClock,
        _ => null,
    };

    /// <summary>Instructions per trajectory-step of Lorenz with a method: 105 fixed and 230 adaptive for Tsit5.</summary>
    public static double InstructionsPerStep(string method, bool adaptive) => (method, adaptive) switch
    {
        ("rk4", _) => 70,
        (_, false) => 105,
        _ => 230,
    };
}
