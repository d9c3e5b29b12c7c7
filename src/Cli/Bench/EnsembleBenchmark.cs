using System.Diagnostics;
using System.Numerics;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;

namespace OdeGpu.Cli.Bench;

/// <summary>One measured row of <c>odegpu bench ensemble</c>.</summary>
internal sealed record BenchRow(
    string Workload, string Method, string Precision, int N, double Seconds, double KernelSeconds, double TrajectorySteps, long Evaluations,
    double? Error, double? LimitRatio, string Path, string Note);

/// <summary>
/// The L1 and V1 workloads of BENCHMARKS.md in the ensemble mode: wall time of the solve (uploads and downloads
/// included) and kernel time (the slice loop), trajectory-steps per kernel second, evaluations, the error against a
/// DOP853 reference (Dopri8, float64, rtol = atol = 1e-12, on 32 trajectories spread over the ensemble) and the ratio
/// of the kernel rate to the physical limit.
/// </summary>
/// <param name="device">The device.</param>
/// <param name="log">Where each run's time is logged.</param>
/// <param name="simd">The CPU paths to run each workload on (<see cref="EnsembleOptions.Simd"/>), side by side.</param>
internal sealed class EnsembleBenchmark(OdeDevice device, TextWriter log, IReadOnlyList<bool> simd)
{
    private const int ReferenceSample = 32;

    // Trajectories of a warm-up solve: whole groups of SIMD lanes at any width (16 floats on AVX-512), so that the
    // code of full groups is compiled before the timed solve too.
    private const int WarmUp = 64;

    /// <summary>L1(a): float32, dt = 0.001 over [0, 1], Tsit5 and RK4.</summary>
    public IEnumerable<BenchRow> L1a(IEnumerable<int> sizes)
    {
        foreach (var n in sizes)
            foreach (var method in new[] { Methods.Tsit5, Methods.Rk4 })
                foreach (var row in L1<float>("L1a", n, 1, Rho(n), new SolveOptions { Method = method, Controller = new FixedStep(0.001) }))
                    yield return row;
    }

    /// <summary>L1(b): float32 adaptive Tsit5, rtol = atol = 1e-8, dt0 = 0.001.</summary>
    public IEnumerable<BenchRow> L1b(IEnumerable<int> sizes) =>
        sizes.SelectMany(n => L1<float>("L1b", n, 1, Rho(n),
            new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(1e-8, 1e-8), InitialStep = 0.001 }));

    /// <summary>L1(c): float64 adaptive Tsit5 at rtol 1e-3, 1e-6, 1e-8 with atol = 1e-3 rtol.</summary>
    public IEnumerable<BenchRow> L1c(IEnumerable<int> sizes)
    {
        foreach (var n in sizes)
            foreach (var rtol in new[] { 1e-3, 1e-6, 1e-8 })
                foreach (var row in L1<double>("L1c", n, 1, Rho(n),
                    new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(rtol, 1e-3 * rtol) }, $"rtol {rtol:g1}"))
                    yield return row;
    }

    /// <summary>L1(d): r ~ U(0, 28) shuffled (seed 0), t in [0, 10], float64 Tsit5 at 1e-6 / 1e-9, with and without compaction.</summary>
    public IEnumerable<BenchRow> L1d(IEnumerable<int> sizes)
    {
        foreach (var n in sizes)
        {
            var random = new Random(0);
            var rho = Enumerable.Range(0, n).Select(_ => 28 * random.NextDouble()).ToArray();
            var options = new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(1e-6, 1e-9) };
            foreach (var compaction in new[] { true, false })
                foreach (var row in L1<double>("L1d", n, 10, rho, options, compaction ? "compaction" : "no compaction", new EnsembleOptions { SliceSteps = 64, Compaction = compaction }))
                    yield return row;
        }
    }

    /// <summary>V1: Van der Pol oscillators (256 in BENCHMARKS.md) over [0, 20], Dopri5 at 1e-5, 200 output times; per-trajectory against one shared step.</summary>
    public IEnumerable<BenchRow> V1(IEnumerable<int> sizes) => sizes.SelectMany(V1);

    private IEnumerable<BenchRow> V1(int n)
    {
        var times = Enumerable.Range(0, 200).Select(i => 20.0 * i / 199).ToArray();
        var options = new SolveOptions { Method = Methods.Dopri5, Controller = new PIController(1e-5, 1e-5) };
        var random = new Random(0);
        foreach (var (label, mu) in new[]
                 {
                     ("mu = 2", Enumerable.Repeat(2.0, n).ToArray()),
                     ("mu log-uniform [1, 25]", Enumerable.Range(0, n).Select(_ => Math.Exp(Math.Log(25) * random.NextDouble())).ToArray()),
                 })
        {
            var parameters = new double[n, 1];
            var y0 = new double[n, 2];
            for (var i = 0; i < n; i++)
                (parameters[i, 0], y0[i, 0]) = (mu[i], 2);
            var states = Enumerable.Repeat(new Vec2<double>(2, 0), n).ToArray();
            using var dynamics = new SystemDynamics<double, Vec2<double>, VanDerPol<double>>(device, default, parameters);
            // Warm-up, so that kernel compiles are not timed.
            BatchedSolver.Solve(dynamics, y0, times[..2], options with { SharedStep = true });
            foreach (var path in simd)
            {
                var ensemble = new EnsembleOptions { Simd = path };
                EnsembleSolver.Solve(device, default(VanDerPol<double>), states[..Math.Min(n, WarmUp)], Slice(parameters, 0, Math.Min(n, WarmUp)), times, options, ensemble);
                var started = Stopwatch.StartNew();
                var own = EnsembleSolver.Solve(device, default(VanDerPol<double>), states, parameters, times, options, ensemble);
                yield return Row("V1", own, started.Elapsed.TotalSeconds, null, null, $"{label}: per-trajectory steps, mean {Steps(own) / n:F0} per trajectory");
            }
            var clock = Stopwatch.StartNew();
            var shared = BatchedSolver.Solve(dynamics, y0, times, options with { SharedStep = true });
            yield return Row("V1", shared, clock.Elapsed.TotalSeconds, null, null, $"{label}: one shared step (batched), {Steps(shared) / n:F0} per trajectory");
        }
    }

    private IEnumerable<BenchRow> L1<T>(string workload, int n, double t1, double[] rho, SolveOptions options, string note = "", EnsembleOptions? ensemble = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        simd.Select(path => Measure<T>(workload, n, t1, rho, options, note, (ensemble ?? new EnsembleOptions()) with { Simd = path }));

    private BenchRow Measure<T>(string workload, int n, double t1, double[] rho, SolveOptions options, string note, EnsembleOptions ensemble)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameters = new T[n, 3];
        for (var i = 0; i < n; i++)
            (parameters[i, 0], parameters[i, 1], parameters[i, 2]) = (T.CreateTruncating(10.0), T.CreateTruncating(rho[i]), T.CreateTruncating(8.0 / 3));
        var states = Enumerable.Repeat(new Vec3<T>(T.One, T.Zero, T.Zero), n).ToArray();
        double[] times = [0, t1];
        // Warm-up on a few trajectories so the kernel compile is not timed.
        EnsembleSolver.Solve(device, default(Lorenz<T>), states[..Math.Min(n, WarmUp)], Slice(parameters, 0, Math.Min(n, WarmUp)), times, options, ensemble);
        var clock = Stopwatch.StartNew();
        var solution = EnsembleSolver.Solve(device, default(Lorenz<T>), states, parameters, times, options, ensemble);
        var seconds = clock.Elapsed.TotalSeconds;
        var failed = solution.Status.Count(s => s != TrajectoryStatus.Success);
        var error = ReferenceError(solution, rho, t1);
        var limit = PhysicalLimit.LaneRate(device, typeof(T) == typeof(double)) / PhysicalLimit.InstructionsPerStep(options.Method.Name, options.Method.IsAdaptive && options.Controller is AdaptiveController);
        var rate = Steps(solution) / solution.Compute.TotalSeconds;
        var row = Row(workload, solution, seconds, error, limit is { } l ? rate / l : null, failed == 0 ? note : $"{note} ({failed} failed)".Trim());
        log.WriteLine($"  {workload} {options.Method.Name} N={n} {note} {Path(solution)}: {seconds:F3} s");
        return row;
    }

    // Max |y - reference| / max |reference| at t1 over trajectories spread evenly across the ensemble.
    private double ReferenceError<T>(Solution<T> solution, double[] rho, double t1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = solution.Rows;
        var sample = Enumerable.Range(0, Math.Min(ReferenceSample, n)).Select(k => (int)((long)k * (n - 1) / Math.Max(1, Math.Min(ReferenceSample, n) - 1))).Distinct().ToArray();
        var parameters = new double[sample.Length, 3];
        for (var k = 0; k < sample.Length; k++)
            (parameters[k, 0], parameters[k, 1], parameters[k, 2]) = (10, rho[sample[k]], 8.0 / 3);
        var reference = EnsembleSolver.Solve(device, default(Lorenz<double>), Enumerable.Repeat(new Vec3<double>(1, 0, 0), sample.Length).ToArray(),
            parameters, [0, t1], new SolveOptions { Method = Methods.Dopri8, Controller = new PIController(1e-12, 1e-12), MaxSteps = 1_000_000 });
        double worst = 0, scale = 0;
        for (var k = 0; k < sample.Length; k++)
            for (var d = 0; d < 3; d++)
            {
                var r = reference[k, 1, d];
                worst = Math.Max(worst, Math.Abs(double.CreateTruncating(solution[sample[k], 1, d]) - r));
                scale = Math.Max(scale, Math.Abs(r));
            }
        return worst / Math.Max(scale, 1e-300);
    }

    private static BenchRow Row<T>(string workload, Solution<T> s, double seconds, double? error, double? limitRatio, string note) where T : unmanaged =>
        new(workload, s.Method.Name, typeof(T) == typeof(float) ? "float32" : "float64", s.Rows, seconds, s.Compute.TotalSeconds,
            Steps(s) / s.Compute.TotalSeconds, s.Statistics.TotalEvaluations, error, limitRatio, Path(s), note);

    // "simd 8" for eight lanes ("simd 8, 512-bit CPU" where the CPU's vectors would hold more, SimdReport.WiderBits),
    // "scalar" for one trajectory at a time, "batched" for the stage kernels.
    private static string Path<T>(Solution<T> s) where T : unmanaged => s.Simd switch
    {
        null => "batched",
        { Used: true, WiderBits: { } bits } simd => $"simd {simd.Lanes}, {bits}-bit CPU",
        { Used: true } simd => $"simd {simd.Lanes}",
        _ => "scalar",
    };

    private static double Steps<T>(Solution<T> s) where T : unmanaged => s.Statistics.TotalAccepted + s.Statistics.TotalRejected;

    private static double[] Rho(int n) => Enumerable.Range(0, n).Select(i => 21.0 * i / Math.Max(1, n - 1)).ToArray();

    private static T[,] Slice<T>(T[,] values, int first, int count)
    {
        var slice = new T[count, values.GetLength(1)];
        for (var i = 0; i < count; i++)
            for (var j = 0; j < values.GetLength(1); j++)
                slice[i, j] = values[first + i, j];
        return slice;
    }
}
