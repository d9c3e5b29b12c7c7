using BenchmarkDotNet.Attributes;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Tableaux;

namespace OdeGpu.Bench;

/// <summary>
/// L1(a) on the CPU with RK4, float32, dt = 0.001 over [0, 1]: the batched solver (direct launcher) against plain C#
/// loops doing the same 1000 steps. Ratios to <see cref="PlainSingleThreaded"/> are the figures to report.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class L1Benchmarks
{
    private const float Dt = 0.001f;
    private const int Steps = 1000;
    private OdeDevice _device = null!;
    private LorenzWorkload _workload = null!;

    /// <summary>Trajectories: 2^14 as issue 2 asks, and 20 to expose the launch overhead of small batches.</summary>
    [Params(20, 16384)]
    public int N { get; set; }

    /// <summary>Opens the CPU device and uploads the workload.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        _workload = new LorenzWorkload(_device, N);
    }

    /// <summary>Frees the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _workload.Dispose();
        _device.Dispose();
    }

    /// <summary>Plain C#, one thread.</summary>
    [Benchmark(Baseline = true)]
    public float PlainSingleThreaded() => PlainLorenz.SingleThreaded(_workload.Rho, Dt, Steps);

    /// <summary>Plain C#, Parallel.For.</summary>
    [Benchmark]
    public float PlainParallelFor() => PlainLorenz.Parallel(_workload.Rho, Dt, Steps);

    /// <summary>The batched solver with the direct CPU launcher.</summary>
    [Benchmark]
    public float BatchedDirect() =>
        BatchedSolver.Solve(_workload.Dynamics, _workload.Initial, [0, 1], new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(Dt) }).Values[3];
}
