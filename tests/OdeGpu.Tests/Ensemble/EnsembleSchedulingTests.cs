using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>Slices, compaction, chunks, launchers and per-trajectory spans change no result.</summary>
public sealed class EnsembleSchedulingTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly SolveOptions Adaptive = new() { Method = Methods.Dopri5, Controller = new PIController(1e-8, 1e-8) };

    [Fact]
    public void Compaction_changes_no_bit_of_the_result()
    {
        var (y0, parameters) = DivergenceStress(40);
        double[] times = [0, 2.5, 5, 7.5, 10];

        var packed = EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, parameters, times, Adaptive,
            new EnsembleOptions { SliceSteps = 16, Compaction = true });
        var unpacked = EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, parameters, times, Adaptive,
            new EnsembleOptions { SliceSteps = 16, Compaction = false });

        Assert.True(packed.Statistics.HostIterations > 10, "the test needs many slices");
        Assert.Equal(unpacked.Values, packed.Values);
        Assert.Equal(unpacked.Statistics.Evaluations, packed.Statistics.Evaluations);
        Assert.Equal(unpacked.Status, packed.Status);
    }

    [Fact]
    public void Chunked_runs_equal_unchunked_runs()
    {
        var (y0, parameters) = DivergenceStress(23);
        double[] times = [0, 1, 2];

        var whole = EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, parameters, times, Adaptive);
        var chunks = EnsembleSolver.Chunks(cpu.Device, default(Lorenz<double>), y0, parameters, times, Adaptive,
            new EnsembleOptions { ChunkSize = 5 }).ToList();

        Assert.Equal([0, 5, 10, 15, 20], chunks.Select(c => c.FirstRow));
        Assert.Equal(whole.Values, chunks.SelectMany(c => c.Values));
        Assert.Equal(whole.Values, Solution<double>.Concatenate(chunks).Values);
        Assert.Equal(whole.Statistics.Evaluations, chunks.SelectMany(c => c.Statistics.Evaluations));
    }

    [Fact]
    public void The_slice_length_changes_no_bit_of_the_result()
    {
        var (y0, parameters) = DivergenceStress(8);

        var longSlices = EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, parameters, [0, 3], Adaptive, new EnsembleOptions { SliceSteps = 100_000 });
        var shortSlices = EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, parameters, [0, 3], Adaptive, new EnsembleOptions { SliceSteps = 3 });

        Assert.Equal(longSlices.Simd!.Used ? 2 : 1, longSlices.Statistics.HostIterations); // on lanes after a first slice of LaneGrouping.ProbeSteps
        Assert.Equal(longSlices.Values, shortSlices.Values);
    }

    [Fact]
    public void Fixed_steps_on_lanes_take_no_slice_to_measure_their_pace()
    {
        // 100 steps in slices of 40: three slices, none of LaneGrouping.ProbeSteps, since a fixed grid gives each
        // trajectory's remaining work.
        var (y0, parameters) = DivergenceStress(8);
        var options = new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.01) };

        var solution = EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, parameters, [0, 1], options, new EnsembleOptions { SliceSteps = 40 });

        Assert.True(solution.Simd!.Used);
        Assert.Equal(3, solution.Statistics.HostIterations);
    }

    [Fact]
    public void Regrouping_the_lanes_by_remaining_work_changes_no_bit_of_the_result()
    {
        // Van der Pol oscillators alternating mild and stiff, so that every group of lanes as launched mixes both.
        const int n = 64;
        var mu = new double[n, 1];
        for (var i = 0; i < n; i++)
            mu[i, 0] = i % 2 == 0 ? 1 : 25;
        var y0 = Enumerable.Repeat(new Vec2<double>(2, 0), n).ToArray();
        double[] times = [.. Enumerable.Range(0, 21).Select(j => (double)j)];
        var options = new SolveOptions { Method = Methods.Dopri5, Controller = new PIController(1e-6, 1e-6) };

        var regrouped = EnsembleSolver.Solve(cpu.Device, default(VanDerPol<double>), y0, mu, times, options);
        var asLaunched = EnsembleSolver.Solve(cpu.Device, default(VanDerPol<double>), y0, mu, times, options, new EnsembleOptions { Compaction = false });

        var work = regrouped.Statistics.AcceptedSteps.Select(s => (double)s).ToArray();
        Assert.True(LaneGrouping.Idle(work, regrouped.Simd!.Lanes) > 0.1, "the test needs groups of unlike work");
        Assert.Equal(asLaunched.Values, regrouped.Values);
        Assert.Equal(asLaunched.Statistics.Evaluations, regrouped.Statistics.Evaluations);
        Assert.Equal(asLaunched.Status, regrouped.Status);
    }

    [Theory]
    [InlineData("tsit5")]
    [InlineData("dopri8")]
    [InlineData("rk4")]
    public void Both_cpu_launchers_give_bit_identical_ensembles(string method)
    {
        var tableau = Methods.Parse(method);
        var options = new SolveOptions { Method = tableau, Controller = tableau.IsAdaptive ? new PIController(1e-7, 1e-7) : new FixedStep(0.01) };
        var (y0, parameters) = DivergenceStress(6);

        using var accelerator = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Accelerator);
        var direct = EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, parameters, [0, 0.5, 1], options, new EnsembleOptions { SliceSteps = 20, Simd = false });
        var simulated = EnsembleSolver.Solve(accelerator, default(Lorenz<double>), y0, parameters, [0, 0.5, 1], options, new EnsembleOptions { SliceSteps = 20 });

        Assert.Equal(direct.Values, simulated.Values);
        Assert.Equal(direct.Statistics.Evaluations, simulated.Statistics.Evaluations);
    }

    [Fact]
    public void Each_trajectory_follows_its_own_time_span_forwards_or_backwards()
    {
        // x = cos 2t, v = -2 sin 2t; each row starts on the exact solution at its own t0.
        double[,] times = { { 0, 1, 2 }, { 0.5, 1.5, 3 }, { 3, 2, 1 }, { -1, 0, 0.25 } };
        var y0 = Enumerable.Range(0, 4).Select(i => Exact(times[i, 0])).ToArray();
        var parameters = new double[4, 1];
        for (var i = 0; i < 4; i++)
            parameters[i, 0] = 2;

        var solution = EnsembleSolver.Solve(cpu.Device, default(Harmonic<double>), y0, parameters, times,
            new SolveOptions { Method = Methods.Dopri8, Controller = new PIController(1e-11, 1e-11) });

        Assert.All(solution.Status, s => Assert.Equal(TrajectoryStatus.Success, s));
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(times[i, j], solution.Time(i, j));
                var exact = Exact(times[i, j]);
                Assert.Equal(exact.X, solution[i, j, 0], 1e-9);
                Assert.Equal(exact.Y, solution[i, j, 1], 1e-9);
            }

        static Vec2<double> Exact(double t) => new(Math.Cos(2 * t), -2 * Math.Sin(2 * t));
    }

    [Fact]
    public void Per_trajectory_times_must_each_be_strictly_monotonic()
    {
        double[,] times = { { 0, 1 }, { 1, 1 } };

        var error = Assert.Throws<ArgumentException>(() => EnsembleSolver.Solve(cpu.Device, default(Harmonic<double>),
            [new Vec2<double>(1, 0), new Vec2<double>(1, 0)], new double[2, 1], times));

        Assert.Contains("times[1] must be strictly monotonic, but times[1][1] = 1 follows times[1][0] = 1", error.Message);
    }

    // L1(d): r ~ U(0, 28) shuffled with a fixed seed, so step counts differ widely between neighbours.
    private static (Vec3<double>[] Y0, double[,] Parameters) DivergenceStress(int count)
    {
        var random = new Random(7);
        var parameters = new double[count, 3];
        for (var i = 0; i < count; i++)
            (parameters[i, 0], parameters[i, 1], parameters[i, 2]) = (10, 28 * random.NextDouble(), 8.0 / 3);
        return (Enumerable.Repeat(new Vec3<double>(1, 0, 0), count).ToArray(), parameters);
    }
}
