using OdeGpu.Control;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>One step size per row (the default) against one shared step size for the whole batch.</summary>
public sealed class StepModeTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[] Times = [0, 0.25, 0.5, 0.75, 1.0];

    [Fact]
    public void Identical_rows_give_identical_results_in_both_modes()
    {
        var options = new SolveOptions { Method = Methods.Dopri5, Controller = new PIController(1e-8, 1e-8) };

        var perRow = Batches.Lorenz<double>(cpu.Device, 4, 28, 28, Times, options);
        var shared = Batches.Lorenz<double>(cpu.Device, 4, 28, 28, Times, options with { SharedStep = true });

        Assert.Equal(perRow.Values, shared.Values);
        Assert.Equal(perRow.Statistics.AcceptedSteps, shared.Statistics.AcceptedSteps);
    }

    [Fact]
    public void Heterogeneous_rows_agree_to_tolerance_and_the_shared_mode_steps_together()
    {
        var options = new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(1e-9, 1e-9) };

        var perRow = Batches.Lorenz<double>(cpu.Device, 6, 0, 28, Times, options);
        var shared = Batches.Lorenz<double>(cpu.Device, 6, 0, 28, Times, options with { SharedStep = true });

        Assert.All(perRow.Status.Concat(shared.Status), s => Assert.Equal(TrajectoryStatus.Success, s));
        for (var i = 0; i < perRow.Values.Length; i++)
            Assert.Equal(perRow.Values[i], shared.Values[i], 1e-6 * (1 + Math.Abs(perRow.Values[i])));
        Assert.Single(shared.Statistics.AcceptedSteps.Distinct());
        Assert.True(perRow.Statistics.AcceptedSteps.Distinct().Count() > 1, "per-row steps should differ between rows");
        Assert.True(perRow.Statistics.AcceptedSteps[0] < shared.Statistics.AcceptedSteps[0], "the easiest row should need fewer steps on its own");
    }
}
