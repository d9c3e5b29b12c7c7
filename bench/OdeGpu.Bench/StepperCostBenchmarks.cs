using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;

namespace OdeGpu.Bench;

/// <summary>
/// Nanoseconds per right-hand-side evaluation of the fused ensemble kernel on the CPU, by method: Lorenz (L1's
/// parameters), float32, 1000 fixed steps of 0.001 over [0, 1], N = 8192, only the final state kept. Each benchmark
/// counts one operation per evaluation, so BenchmarkDotNet's mean is the cost of one evaluation with its share of the
/// stage arithmetic; a method whose kernel the JIT compiles well costs about what RK4 costs.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class StepperCostBenchmarks
{
    private const int N = 8192;
    private const int Steps = 1000;

    // f(t0, y0) plus the evaluations of each step: RK4 3 + 1 at the end, Tsit5 6 (FSAL), DOP853 11 + 1 at the end.
    private const int Rk4Evaluations = N * (1 + 4 * Steps);
    private const int Tsit5Evaluations = N * (1 + 6 * Steps);
    private const int Dopri8Evaluations = N * (1 + 12 * Steps);

    private OdeDevice _device = null!;
    private LorenzWorkload _workload = null!;
    private Vec3<float>[] _states = null!;

    /// <summary>Opens the CPU device, builds the workload and checks each method's evaluation count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        _workload = new LorenzWorkload(_device, N);
        _states = Enumerable.Repeat(new Vec3<float>(1, 0, 0), N).ToArray();
        foreach (var (method, expected) in new[] { (Methods.Rk4, Rk4Evaluations), (Methods.Tsit5, Tsit5Evaluations), (Methods.Dopri8, Dopri8Evaluations) })
        {
            var evaluations = Solve(method).Statistics.TotalEvaluations;
            if (evaluations != expected)
                throw new InvalidOperationException($"{method.Name} took {evaluations} evaluations, but {expected} were expected");
        }
    }

    /// <summary>Frees the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _workload.Dispose();
        _device.Dispose();
    }

    /// <summary>RK4.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Rk4Evaluations)]
    public float Rk4() => Solve(Methods.Rk4).Values[0];

    /// <summary>Tsit5.</summary>
    [Benchmark(OperationsPerInvoke = Tsit5Evaluations)]
    public float Tsit5() => Solve(Methods.Tsit5).Values[0];

    /// <summary>DOP853.</summary>
    [Benchmark(OperationsPerInvoke = Dopri8Evaluations)]
    public float Dopri8() => Solve(Methods.Dopri8).Values[0];

    private Solution<float> Solve(ButcherTableau method) => EnsembleSolver.Solve(_device, default(Lorenz<float>), _states,
        _workload.Parameters, [0, 1], new SolveOptions { Method = method, Controller = new FixedStep(0.001) });
}
