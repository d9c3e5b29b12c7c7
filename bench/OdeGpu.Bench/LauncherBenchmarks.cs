using BenchmarkDotNet.Attributes;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Tableaux;

namespace OdeGpu.Bench;

/// <summary>
/// The two CPU launchers side by side: the cost of one launch of a trivial kernel, and 20 RK4 steps of L1 at
/// N = 2^14 (ILGPU's CPU accelerator is too slow for the full 1000 steps; compare per step).
/// </summary>
[ShortRunJob]
public class LauncherBenchmarks
{
    private OdeDevice _device = null!;
    private LorenzWorkload _workload = null!;
    private MemoryBuffer1D<int, Stride1D.Dense> _buffer = null!;

    /// <summary>The launcher under test.</summary>
    [Params(CpuLauncher.Direct, CpuLauncher.Accelerator)]
    public CpuLauncher Launcher { get; set; }

    /// <summary>Opens the device and uploads the workload.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, Launcher);
        _workload = new LorenzWorkload(_device, 16384);
        _buffer = _device.Allocate<int>(20);
        LaunchOnce();
    }

    /// <summary>Frees the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _buffer.Dispose();
        _workload.Dispose();
        _device.Dispose();
    }

    /// <summary>One launch of a kernel that zeroes 20 integers, synchronised.</summary>
    [Benchmark]
    public void LaunchOnce()
    {
        _device.Launch<ArrayView<int>>(Clear, 20, _buffer.View);
        _device.Synchronize();
    }

    /// <summary>The trivial kernel: sets every element to zero.</summary>
    public static void Clear(Index1D index, ArrayView<int> values) => values[index] = 0;

    /// <summary>20 fixed RK4 steps of L1 at N = 2^14.</summary>
    [Benchmark]
    public float TwentyRk4Steps() =>
        BatchedSolver.Solve(_workload.Dynamics, _workload.Initial, [0, 0.02], new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.001) }).Values[3];
}
