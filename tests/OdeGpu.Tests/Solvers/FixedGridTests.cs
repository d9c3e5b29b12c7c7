using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>Fixed steps land on t0 + k dt and end exactly at t1, with no sliver step from round-off, in both modes.</summary>
public sealed class FixedGridTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly ReferenceProblem Harmonic = ReferenceProblem.Named("harmonic");

    public static TheoryData<string> Modes => new(["batched", "ensemble"]);

    [Theory]
    [MemberData(nameof(Modes))]
    public void Ten_steps_of_a_tenth_cover_the_unit_interval(string mode)
    {
        var solution = Solve(mode, [0.0, 1.0], new FixedStep(0.1));

        Assert.Equal(TrajectoryStatus.Success, solution.Status[0]);
        Assert.Equal(10, solution.Statistics.AcceptedSteps[0]);
        Assert.Equal(1 + 4 * 10, solution.Statistics.Evaluations[0]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_span_that_is_not_a_multiple_of_dt_takes_the_ceiling(string mode)
    {
        var solution = Solve(mode, [0.0, 1.05], new FixedStep(0.1));

        Assert.Equal(11, solution.Statistics.AcceptedSteps[0]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Backwards_in_time_the_grid_is_the_same(string mode)
    {
        var whole = Solve(mode, [1.0, 0.0], new FixedStep(0.1));
        var partial = Solve(mode, [1.0, -0.05], new FixedStep(0.1));

        Assert.Equal(10, whole.Statistics.AcceptedSteps[0]);
        Assert.Equal(11, partial.Statistics.AcceptedSteps[0]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_given_initial_step_does_not_shift_the_fixed_grid(string mode)
    {
        var plain = Solve(mode, [0.0, 1.0], new FixedStep(0.1));
        var given = Solve(mode, [0.0, 1.0], new FixedStep(0.1), initialStep: 0.03);

        Assert.Equal(plain.Statistics.AcceptedSteps, given.Statistics.AcceptedSteps);
        Assert.Equal(plain.Values, given.Values);
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.1, 10)]
    [InlineData(0.3, 1.35, 0.1, 11)]
    [InlineData(1.0, 0.0, 0.1, 10)]
    [InlineData(2.0, -0.25, 0.5, 5)]
    [InlineData(0.0, 1e-3, 1e-5, 100)]
    public void Every_node_is_t0_plus_k_dt_and_the_last_is_t1_exactly(double t0, double t1, double dt, int steps)
    {
        var settings = new ControlSettings { Adaptive = 0, FixedStep = dt, MaxSteps = int.MaxValue, MaxStep = double.PositiveInfinity };
        var flags = 0;
        var s = new StepState { Time = t0, Step = FixedGrid.Step(t0, t1, dt, FixedGrid.Steps(t0, t1, dt), 0, ref flags) };
        s.Flags = flags;
        var direction = Math.Sign(t1 - t0);
        var nodes = new List<double>();
        while (StepDecision.Decide(0, ref s, settings, t0, t1, FixedGrid.Steps(t0, t1, dt)) == TrajectoryStatus.Running)
            nodes.Add(s.Time);
        nodes.Add(s.Time);

        Assert.Equal(steps, nodes.Count);
        for (var k = 1; k < steps; k++)
            Assert.Equal(t0 + k * direction * dt, nodes[k - 1]);
        Assert.Equal(t1, nodes[^1]);
        Assert.InRange(Math.Abs(t1 - nodes[^2]), 0, dt * (1 + 1e-9));
    }

    private Solution<double> Solve(string mode, double[] times, StepSizeController controller, double? initialStep = null)
    {
        var options = new SolveOptions { Method = Methods.Rk4, Controller = controller, InitialStep = initialStep };
        return mode == "batched"
            ? Harmonic.Solve<double>(cpu.Device, options, times)
            : Harmonic.SolveEnsemble<double>(cpu.Device, options, times);
    }
}
