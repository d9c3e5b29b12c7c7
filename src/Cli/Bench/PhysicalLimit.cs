using System.Numerics;
using ILGPU.Runtime.Cuda;
using OdeGpu.Device;

namespace OdeGpu.Cli.Bench;

/// <summary>
/// The ceiling of BENCHMARKS.md: trajectory-steps per second = lane instructions per second / instructions per step.
/// A fused Lorenz Tsit5 step costs about 105 SIMT instructions at fixed step and 230 adaptive; RK4 about 70.
/// </summary>
internal static class PhysicalLimit
{
    // The project's CPU machines run at about 2.6 GHz.
    private const double CpuClock = 2.6e9;

    /// <summary>
    /// Lane instructions per second of the device, or null when unknown (OpenCL): on the CPU one vector instruction
    /// per cycle and core, as wide as .NET's vectors are there (<see cref="Vector{T}.Count"/>: 8 floats with AVX2, 16
    /// where .NET uses 512-bit vectors).
    /// </summary>
    public static double? LaneRate(OdeDevice device, bool doublePrecision) => device.Kind switch
    {
        DeviceKind.Cuda when device.Accelerator is CudaAccelerator cuda =>
            cuda.NumMultiprocessors * 128.0 * cuda.ClockRate * 1e3 / (doublePrecision ? 2 : 1),
        DeviceKind.Cpu => Environment.ProcessorCount * (doublePrecision ? Vector<double>.Count : Vector<float>.Count) * CpuClock,
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
