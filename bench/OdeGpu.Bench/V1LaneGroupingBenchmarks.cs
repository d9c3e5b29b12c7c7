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
/// V1 (Van der Pol, float64, Dopri5 at 1e-5, 200 output times over [0, 20]) with mu log-uniform in [1, 25] in random
/// order on the CPU: the fused ensemble mode on SIMD lanes with its groups rebuilt from trajectories of alike
/// remaining work (the default), as launched (compaction off, which also turns the regrouping off), with mu sorted
/// beforehand (the groups' best case), and the scalar kernel.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class V1LaneGroupingBenchmarks
{
    private static readonly SolveOptions Options = new() { Method = Methods.Dopri5, Controller = new PIController(1e-5, 1e-5) };
    private static readonly double[] Times = [.. Enumerable.Range(0, 200).Select(j => 20.0 * j / 199)];
    private OdeDevice _device = null!;
    private Vec2<double>[] _states = null!;
    private double[,] _mu = null!, _sortedMu = null!;

    /// <summary>Oscillators.</summary>
    [Params(32768)]
    public int N { get; set; }

    /// <summary>Opens the CPU device and draws mu (seeded).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        var random = new Random(7);
        var mu = Enumerable.Range(0, N).Select(_ => Math.Exp(Math.Log(25) * random.NextDouble())).ToArray();
        _states = Enumerable.Repeat(new Vec2<double>(2, 0), N).ToArray();
        _mu = Column(mu);
        _sortedMu = Column([.. mu.Order()]);
    }

    /// <summary>Frees the device.</summary>
    [GlobalCleanup]
    public void Cleanup() => _device.Dispose();

    /// <summary>Lanes, regrouped by remaining work after the first slice (the default).</summary>
    [Benchmark(Baseline = true)]
    public double Regrouped() => Solve(_mu, new EnsembleOptions());

    /// <summary>Lanes in launch order: compaction off.</summary>
    [Benchmark]
    public double AsLaunched() => Solve(_mu, new EnsembleOptions { Compaction = false });

    /// <summary>Lanes over mu sorted before the solve: groups of alike work from the start.</summary>
    [Benchmark]
    public double SortedBeforehand() => Solve(_sortedMu, new EnsembleOptions { Compaction = false });

    /// <summary>The scalar kernel, one trajectory at a time.</summary>
    [Benchmark]
    public double Scalar() => Solve(_mu, new EnsembleOptions { Simd = false });

    private double Solve(double[,] mu, EnsembleOptions ensemble) =>
        EnsembleSolver.Solve(_device, default(VanDerPol<double>), _states, mu, Times, Options, ensemble).Values[^1];

    private static double[,] Column(double[] values)
    {
        var column = new double[values.Length, 1];
        for (var i = 0; i < values.Length; i++)
            column[i, 0] = values[i];
        return column;
    }
}
