using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Bench;

/// <summary>
/// L1(a) (RK4, float32, dt = 0.001) and L1(b) (Tsit5, float32, rtol = atol = 1e-8, dt0 = 0.001) on the CPU, side by side:
/// the fused ensemble mode on SIMD lanes and scalar, the batched mode, and plain C# loops on one thread and with Parallel.For, all doing the
/// same steps over [0, 1]. One warm-up and three measured runs each (the batched mode at 2^17 takes minutes).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class L1EnsembleBenchmarks
{
    private OdeDevice _device = null!;
    private LorenzWorkload _workload = null!;
    private Vec3<float>[] _states = null!;

    /// <summary>Trajectories.</summary>
    [Params(2048, 16384, 131072)]
    public int N { get; set; }

    /// <summary>"a" (fixed RK4) or "b" (adaptive Tsit5).</summary>
    [Params("a", "b")]
    public string Workload { get; set; } = "a";

    private SolveOptions Options => LorenzWorkload.Options(Workload);

    /// <summary>Opens the CPU device and builds the workload.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        _workload = new LorenzWorkload(_device, N);
        _states = Enumerable.Repeat(new Vec3<float>(1, 0, 0), N).ToArray();
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
    public double PlainSingleThreaded() => Workload == "a"
        ? PlainLorenz.SingleThreaded(_workload.Rho, 0.001f, 1000)
        : PlainTsit5.SingleThreaded(_workload.Rho, 1e-8, 1e-8, 0.001);

    /// <summary>Plain C#, Parallel.For.</summary>
    [Benchmark]
    public double PlainParallelFor() => Workload == "a"
        ? PlainLorenz.Parallel(_workload.Rho, 0.001f, 1000)
        : PlainTsit5.Parallel(_workload.Rho, 1e-8, 1e-8, 0.001);

    /// <summary>The fused ensemble mode on SIMD lanes (the CPU's default).</summary>
    [Benchmark]
    public float Ensemble() =>
        EnsembleSolver.Solve(_device, default(Lorenz<float>), _states, _workload.Parameters, [0, 1], Options).Values[0];

    /// <summary>The fused ensemble mode's scalar kernel, one trajectory at a time (<c>--simd off</c>).</summary>
    [Benchmark]
    public float EnsembleScalar() =>
        EnsembleSolver.Solve(_device, default(Lorenz<float>), _states, _workload.Parameters, [0, 1], Options, new EnsembleOptions { Simd = false }).Values[0];

    /// <summary>The batched mode.</summary>
    [Benchmark]
    public float Batched() => BatchedSolver.Solve(_workload.Dynamics, _workload.Initial, [0, 1], Options).Values[0];
}
