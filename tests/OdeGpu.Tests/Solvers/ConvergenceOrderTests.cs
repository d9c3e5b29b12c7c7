using OdeGpu.Control;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>Every tableau's order, measured from fixed-step errors against problems.json.</summary>
public sealed class ConvergenceOrderTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    public static TheoryData<string> MethodNames => new(Methods.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Measured_order_at_the_step_ends_is_the_nominal_order(string name)
    {
        var method = Methods.Parse(name);
        var study = Study.For(method);
        var steps = study.StepCounts.Select(n => study.End / n).ToArray();

        var errors = steps.Select(h => study.Error(cpu, method, h, [0, study.End], 1, study.EndIndex)).ToArray();

        Assert.InRange(OrderFit.Slope(steps, errors), method.Order - 0.3, method.Order + 0.3);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Dense_output_between_steps_converges_at_the_interpolants_order(string name)
    {
        var method = Methods.Parse(name);
        var study = Study.For(method);
        // One step more than the step-end study, so the inner output time falls inside a step.
        var steps = study.StepCounts.Select(n => study.End / (n + 1)).ToArray();
        var expected = Math.Min(method.Order, method.Interpolant.Order + 1);

        var errors = steps.Select(h => study.Error(cpu, method, h, [0, study.Inner, study.End], 1, study.InnerIndex)).ToArray();

        Assert.InRange(OrderFit.Slope(steps, errors), expected - 0.3, expected + 0.6);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Interpolant_starts_at_y0_and_ends_at_the_step_solution(string name)
    {
        var method = Methods.Parse(name);

        var atStart = method.Interpolant.Evaluate(0);
        var atEnd = method.Interpolant.Evaluate(1);

        Assert.All(atStart, w => Assert.Equal(0, w, 1e-14));
        for (var j = 0; j < method.ExtendedStages; j++)
            Assert.Equal(j < method.Stages ? method.B[j] : 0, atEnd[j], 1e-11);
    }

    /// <summary>
    /// A problem and step counts inside each method's asymptotic range (checked): Van der Pol for orders up to 4;
    /// Lorenz for the fifth-order pairs, whose small principal error makes them look sixth order on gentler problems;
    /// the Brusselator over [0, 5] for DOP853, which reaches the reference's 1e-13 within three halvings elsewhere.
    /// </summary>
    private sealed record Study(string Problem, double End, int EndIndex, double Inner, int InnerIndex, int[] StepCounts)
    {
        public static Study For(ButcherTableau method) => method.Order switch
        {
            1 => new("van_der_pol_mu1", 1, 2, 0.5, 1, [64, 128, 256, 512]),
            2 => new("van_der_pol_mu1", 1, 2, 0.5, 1, [16, 32, 64, 128]),
            3 or 4 => new("van_der_pol_mu1", 1, 2, 0.5, 1, [8, 16, 32, 64]),
            5 => new("lorenz", 1, 10, 0.5, 5, [256, 512, 1024]),
            _ => new("brusselator", 5, 5, 3, 3, [16, 32, 64]),
        };

        public double Error(CpuDevice cpu, ButcherTableau method, double h, double[] times, int output, int referenceIndex)
        {
            var problem = ReferenceProblem.Named(Problem);
            var solution = problem.Solve<double>(cpu.Device, new SolveOptions { Method = method, Controller = new FixedStep(h) }, times);
            Assert.Equal(TrajectoryStatus.Success, solution.Status[0]);
            return Math.Sqrt(solution.State(0, output).Zip(problem.Reference[referenceIndex], (a, b) => (a - b) * (a - b)).Sum());
        }
    }
}
