using ILGPU;
using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Ensemble;
using OdeGpu.Gradients;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Adjoint;

/// <summary>
/// The fused discrete adjoint (<see cref="EnsembleGradient"/> with <see cref="DiscreteAdjoint"/>): each thread replays
/// its trajectory's recorded steps, which end on the output times. It gives the gradient of what was computed: central
/// differences of the same solve with its steps frozen (<see cref="StepReplay"/> through the steps the fused kernel
/// records), on Lorenz (its own VJP) and Van der Pol (duals), with outputs between t0 and t1. The loss is
/// L = sum over output times of c . z(t_i).
/// </summary>
public sealed class FusedDiscreteAdjointTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[] Times = [0, 0.3, 0.7, 1];
    private static readonly Vec3<double>[] LorenzStart = [new(1, 0, 0), new(0.5, -1, 2), new(-2, 1, 0.5)];
    private static readonly Vec2<double>[] VdpStart = [new(2, 0), new(0.5, -1), new(-1, 1.5)];
    private static readonly double[,] Mu = { { 0.5 }, { 1 }, { 2 } };

    public static TheoryData<string> Adaptive => ["dopri5", "tsit5", "bosh3", "dopri8"];

    [Theory]
    [MemberData(nameof(Adaptive))]
    public void Lorenz_by_its_own_vjp_is_the_gradient_of_the_solve_with_its_steps_frozen(string method)
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var options = Discrete(Methods.Parse(method), 1e-8);

        AssertFrozen(default(Lorenz<double>), LorenzStart, parameters, options, seed: 1);
    }

    [Fact]
    public void Van_der_pol_by_duals_is_the_gradient_of_the_solve_with_its_steps_frozen() =>
        AssertFrozen(default(VanDerPol<double>), VdpStart, Mu, Discrete(Methods.Tsit5, 1e-8), seed: 2);

    [Theory]
    [InlineData("rk4")]
    [InlineData("euler")]
    [InlineData("midpoint")]
    [InlineData("heun")]
    public void Fixed_steps_are_differentiated_as_taken(string method)
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var options = new SolveOptions { Method = Methods.Parse(method), Controller = new FixedStep(0.01), Adjoint = new DiscreteAdjoint() };

        AssertFrozen(default(Lorenz<double>), LorenzStart, parameters, options, seed: 3, times: [0, 1]);
    }

    [Fact]
    public void Records_longer_than_the_first_capacity_are_grown()
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var options = Discrete(Methods.Dopri5, 1e-11);
        double[] times = [0, 1, 2, 3];
        var c = RandomCotangents.Of(3, times.Length, 3, seed: 4);

        var gradient = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, times, c, options);

        Assert.Contains(gradient.Forward.Statistics.AcceptedSteps, steps => steps > FusedDiscreteGradient.FirstCapacity);
        AssertFrozen(default(Lorenz<double>), LorenzStart, parameters, options, seed: 4, times);
    }

    [Fact]
    public void It_agrees_with_the_batched_discrete_adjoint()
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var options = Discrete(Methods.Dopri5, 1e-9);
        double[] times = [0, 1];
        var c = RandomCotangents.Of(3, times.Length, 3, seed: 5);

        var fused = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, times, c, options);
        using var dynamics = new DifferentiableSystem<double, Vec3<double>, Lorenz<double>>(cpu.Device, default, parameters);
        using var solver = new AdjointSolver<double>(dynamics, options, maxOutputTimes: times.Length);
        var batched = solver.Gradient(StateRows.FromStates<double, Vec3<double>>(LorenzStart), times, c);

        foreach (var (e, a) in new[] { (batched.InitialState, fused.InitialState), (batched.Parameters, fused.Parameters), (batched.Times, fused.Times) })
        {
            var scale = e.Cast<double>().Max(Math.Abs);
            for (var r = 0; r < e.GetLength(0); r++)
                for (var k = 0; k < e.GetLength(1); k++)
                    Assert.True(Math.Abs(e[r, k] - a[r, k]) <= 1e-6 * scale, $"[{r}, {k}]: {a[r, k]}, expected {e[r, k]}");
        }
    }

    [Fact]
    public void Repeated_and_chunked_gradients_are_bit_identical()
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var options = Discrete(Methods.Tsit5, 1e-10);
        var c = RandomCotangents.Of(3, Times.Length, 3, seed: 6);

        var first = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, options);
        var second = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, options);
        var chunked = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, options, new EnsembleOptions { ChunkSize = 2 });

        foreach (var other in new[] { second, chunked })
        {
            Assert.Equal(first.InitialState, other.InitialState);
            Assert.Equal(first.Parameters, other.Parameters);
            Assert.Equal(first.Times, other.Times);
        }
    }

    [Fact]
    public void A_trajectory_that_fails_reports_its_status_and_the_others_finish()
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var c = RandomCotangents.Of(3, Times.Length, 3, seed: 7);
        var full = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, Discrete(Methods.Dopri5, 1e-6));
        var limit = (int)full.Forward.Statistics.AcceptedSteps.Zip(full.Forward.Statistics.RejectedSteps, (a, r) => a + r).Order().ElementAt(1);

        var limited = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c,
            Discrete(Methods.Dopri5, 1e-6) with { MaxSteps = limit });

        for (var r = 0; r < 3; r++)
        {
            var attempts = full.Forward.Statistics.AcceptedSteps[r] + full.Forward.Statistics.RejectedSteps[r];
            if (attempts > limit)
            {
                Assert.Equal(TrajectoryStatus.MaxStepsReached, limited.Status[r]);
                Assert.True(double.IsNaN(limited.Parameters[r, 1]));
            }
            else
            {
                Assert.Equal(TrajectoryStatus.Success, limited.Status[r]);
                Assert.Equal(full.Parameters[r, 1], limited.Parameters[r, 1]);
            }
        }
        Assert.Contains(limited.Status, s => s == TrajectoryStatus.MaxStepsReached);
    }

    [Fact]
    public void Fixed_steps_with_outputs_between_t0_and_t1_are_refused()
    {
        var options = new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.01), Adjoint = new DiscreteAdjoint() };

        var error = Assert.Throws<ArgumentException>(() => EnsembleGradient.Of(cpu.Device, default(VanDerPol<double>), VdpStart, Mu, Times,
            RandomCotangents.Of(3, Times.Length, 2, seed: 8), options));

        Assert.Equal("times", error.ParamName);
    }

    private static SolveOptions Discrete(ButcherTableau method, double tolerance) =>
        new() { Method = method, Controller = new PIController(tolerance, tolerance), Adjoint = new DiscreteAdjoint() };

    // Central differences of L through StepReplay over the steps the fused kernel records, for the initial state and the
    // parameters; the output times' gradients sum to the derivative of L when every time moves together.
    private void AssertFrozen<TState, TSystem>(TSystem system, TState[] y0, double[,] parameters, SolveOptions options, int seed, double[]? times = null)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        times ??= Times;
        var dim = TState.Dimension;
        var c = RandomCotangents.Of(y0.Length, times.Length, dim, seed);
        var gradient = EnsembleGradient.Of(cpu.Device, system, y0, parameters, times, c, options);
        var steps = RecordedSteps(system, y0, parameters, times, options);
        for (var r = 0; r < y0.Length; r++)
        {
            Assert.Equal(TrajectoryStatus.Success, gradient.Status[r]);
            var row = r;
            var start = Enumerable.Range(0, dim).Select(d => TState.Component(y0[row], d)).ToArray();
            double Loss(double[] z0, double[] p, double shift) =>
                Enumerable.Range(0, times.Length).Sum(i => Dot(c, row, i, StepReplay.Outputs(options.Method, F<TState, TSystem>(system, p), z0,
                    [.. steps[row].Select(t => t + shift)], [.. times.Select(t => t + shift)])[i]));
            var own = Enumerable.Range(0, parameters.GetLength(1)).Select(k => parameters[row, k]).ToArray();
            for (var d = 0; d < dim; d++)
                AssertClose(CentralDifference.Of(h => Loss(CentralDifference.Shifted(start, d, h), own, 0), 0, 1e-6), gradient.InitialState[r, d]);
            for (var k = 0; k < own.Length; k++)
                AssertClose(CentralDifference.Of(h => Loss(start, CentralDifference.Shifted(own, k, h), 0), 0, 1e-6), gradient.Parameters[r, k]);
            AssertClose(CentralDifference.Of(h => Loss(start, own, h), 0, 1e-6), Enumerable.Range(0, times.Length).Sum(i => gradient.Times[row, i]));
        }
    }

    // Each trajectory's step times, from a recording solve like the gradient's own.
    private double[][] RecordedSteps<TState, TSystem>(TSystem system, TState[] y0, double[,] parameters, double[] times, SolveOptions options)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        var hook = new StepTimesHook(cpu.Device.Download, y0.Length);
        if (options.Controller is FixedStep)
            EnsembleSolver.Record(cpu.Device, system, default(NoOutputAction<double, TState>), y0, parameters, times, options, new EnsembleOptions(), hook, 0);
        else
            EnsembleSolver.Record(cpu.Device, system, default(StopAtOutputs<double, TState>), y0, parameters, times, options, new EnsembleOptions(), hook, 0);
        return hook.Steps;
    }

    private static Func<double, double[], double[]> F<TState, TSystem>(TSystem system, double[] parameters)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        system.LoadParameters(new ArrayParameters<double>(parameters));
        return (t, y) =>
        {
            var f = system.Evaluate(t, TState.FromComponents(y));
            return [.. Enumerable.Range(0, TState.Dimension).Select(d => TState.Component(f, d))];
        };
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{actual}, expected {expected}");

    private static double Dot(double[,,] c, int row, int i, double[] z) => Enumerable.Range(0, z.Length).Sum(d => c[row, i, d] * z[d]);

    // Downloads each trajectory's recorded step times (t0 first) from the record.
    private sealed class StepTimesHook(Func<ArrayView<double>, double[]> download, int rows) : IEnsembleRecordHook<double>
    {
        public double[][] Steps { get; } = new double[rows][];

        public void Recorded(EnsembleRecord<double> record)
        {
            var times = download(record.StepTimes);
            for (var i = 0; i < record.Count; i++)
                Steps[record.First + i] = [.. Enumerable.Range(0, times.Length / record.Count).Select(j => times[(long)j * record.Count + i]).TakeWhile(double.IsFinite)];
        }
    }
}
