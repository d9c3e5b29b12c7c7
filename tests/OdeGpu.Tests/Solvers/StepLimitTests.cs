using OdeGpu.Control;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>Step-size limits and the first step, in both modes.</summary>
public sealed class StepLimitTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly ReferenceProblem Harmonic = ReferenceProblem.Named("harmonic");

    public static TheoryData<string> Modes => new(["batched", "ensemble"]);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_maximum_step_bounds_every_step(string mode)
    {
        var loose = new SolveOptions { Method = Methods.Dopri5, Controller = new PIController(1e-3, 1e-3) };

        var free = Solve(mode, loose);
        var bounded = Solve(mode, loose with { MaxStep = 0.05 });

        Assert.True(free.Statistics.AcceptedSteps[0] < 50, "without the bound the steps are longer than 0.05");
        Assert.InRange(bounded.Statistics.AcceptedSteps[0], 200, 220); // 10 / 0.05, plus the steps the controller shortens
        Assert.InRange(Harmonic.NormRelativeError(bounded), 0, Harmonic.NormRelativeError(free));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_given_first_step_replaces_the_estimate_and_its_evaluation(string mode)
    {
        var options = new SolveOptions { Method = Methods.Dopri5, Controller = new PIController(1e-8, 1e-8) };

        var estimated = Solve(mode, options);
        var given = Solve(mode, options with { InitialStep = 1e-3 });

        var s = given.Statistics;
        Assert.Equal(1 + 6 * (s.AcceptedSteps[0] + s.RejectedSteps[0]), s.Evaluations[0]);
        var e = estimated.Statistics;
        Assert.Equal(2 + 6 * (e.AcceptedSteps[0] + e.RejectedSteps[0]), e.Evaluations[0]);
        Assert.InRange(Harmonic.NormRelativeError(given), 0, 1e-6);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Each_component_is_held_to_its_own_absolute_tolerance(string mode)
    {
        // rtol is negligible, so atol alone sets the steps: tightening one component's atol must cost steps,
        // and one tight value for both must cost the same as a per-component pair of the same tight values.
        SolveOptions With(double[] atol) => new() { Method = Methods.Dopri5, Controller = new PIController(1e-14, atol) };

        var loose = Solve(mode, With([1e-4, 1e-4]));
        var oneTight = Solve(mode, With([1e-4, 1e-9]));
        var bothTight = Solve(mode, With([1e-9]));
        var bothTightPerComponent = Solve(mode, With([1e-9, 1e-9]));

        Assert.True(oneTight.Statistics.AcceptedSteps[0] > 2 * loose.Statistics.AcceptedSteps[0], "a tighter second component needs more steps");
        Assert.True(bothTight.Statistics.AcceptedSteps[0] >= oneTight.Statistics.AcceptedSteps[0]);
        Assert.Equal(bothTight.Values, bothTightPerComponent.Values);
    }

    private Solution<double> Solve(string mode, SolveOptions options) => mode == "batched"
        ? Harmonic.Solve<double>(cpu.Device, options)
        : Harmonic.SolveEnsemble<double>(cpu.Device, options);
}
