using OdeGpu.Control;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

public sealed class BackwardSolveTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Theory]
    [InlineData("harmonic", "dopri5")]
    [InlineData("harmonic", "dopri8")]
    [InlineData("lotka_volterra", "tsit5")]
    [InlineData("exp_decay", "dopri5")]
    public void Solving_from_the_final_reference_state_back_to_t0_retraces_the_reference(string name, string method)
    {
        var problem = ReferenceProblem.Named(name);
        var backwards = problem.Times.Reverse().ToArray();

        var solution = problem.Solve<double>(cpu.Device,
            new SolveOptions { Method = Methods.Parse(method), Controller = new PIController(1e-11, 1e-11) },
            backwards, problem.Reference[^1]);

        Assert.Equal(TrajectoryStatus.Success, solution.Status[0]);
        for (var i = 0; i < backwards.Length; i++)
            for (var d = 0; d < problem.Y0.Length; d++)
                Assert.Equal(problem.Reference[^(i + 1)][d], solution[0, i, d], 1e-7 * problem.Scale);
    }

    [Fact]
    public void Fixed_steps_backwards_end_exactly_at_t1()
    {
        var problem = ReferenceProblem.Named("harmonic");

        var solution = problem.Solve<double>(cpu.Device,
            new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.003) }, [1.0, 0.3, 0.0], problem.Reference[2]);

        Assert.Equal(TrajectoryStatus.Success, solution.Status[0]);
        Assert.Equal(334, solution.Statistics.AcceptedSteps[0]); // ceil(1 / 0.003), the last one shortened
        Assert.Equal(problem.Y0[0], solution[0, 2, 0], 1e-8);
        Assert.Equal(problem.Y0[1], solution[0, 2, 1], 1e-8);
    }
}
