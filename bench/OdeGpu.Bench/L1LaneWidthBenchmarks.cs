using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Bench;

/// <summary>
/// L1(a) (RK4, float32, dt = 0.001) and L1(b) (Tsit5, float32, rtol = atol = 1e-8) at N = 2^17 on the CPU's SIMD lanes
/// as wide as .NET's default <c>Vector&lt;T&gt;</c> (256 bits on AVX2 and AVX-512 CPUs) and at 512 bits (set by
/// DOTNET_MaxVectorTBitWidth, as odegpu does on AVX-512; without AVX-512 both jobs are the same), beside the scalar
/// kernel. One warm-up and three measured runs each.
/// </summary>
[Config(typeof(Widths))]
public class L1LaneWidthBenchmarks
{
    private OdeDevice _device = null!;
    private LorenzWorkload _workload = null!;
    private Vec3<float>[] _states = null!;

    /// <summary>"a" (fixed RK4) or "b" (adaptive Tsit5).</summary>
    [Params("a", "b")]
    public string Workload { get; set; } = "a";

    private SolveOptions Options => LorenzWorkload.Options(Workload);

    /// <summary>Opens the CPU device and builds the workload.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        _workload = new LorenzWorkload(_device, 131072);
        _states = Enumerable.Repeat(new Vec3<float>(1, 0, 0), _workload.Trajectories).ToArray();
    }

    /// <summary>Frees the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _workload.Dispose();
        _device.Dispose();
    }

    /// <summary>The fused ensemble mode's scalar kernel, one trajectory at a time.</summary>
    [Benchmark(Baseline = true)]
    public float Scalar() =>
        EnsembleSolver.Solve(_device, default(Lorenz<float>), _states, _workload.Parameters, [0, 1], Options, new EnsembleOptions { Simd = false }).Values[0];

    /// <summary>The fused ensemble mode on SIMD lanes, as wide as the job's <c>Vector&lt;T&gt;</c>.</summary>
    [Benchmark]
    public float Lanes() =>
        EnsembleSolver.Solve(_device, default(Lorenz<float>), _states, _workload.Parameters, [0, 1], Options).Values[0];

    private sealed class Widths : ManualConfig
    {
        public Widths()
        {
            var job = Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3);
            AddJob(job.WithId("default width"));
            AddJob(job.WithEnvironmentVariable("DOTNET_MaxVectorTBitWidth", "512").WithId("512-bit"));
        }
    }
}
