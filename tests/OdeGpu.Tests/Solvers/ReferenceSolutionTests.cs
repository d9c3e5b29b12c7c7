using OdeGpu.Control;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

public sealed class ReferenceSolutionTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Theory]
    [MemberData(nameof(ReferenceProblem.WithAdaptiveMethods), MemberType = typeof(ReferenceProblem))]
    public void Every_reference_problem_is_matched_at_tight_tolerance(string problemName, string methodName)
    {
        var problem = ReferenceProblem.Named(problemName);
        var method = Methods.Parse(methodName);

        var solution = problem.Solve<double>(cpu.Device, new SolveOptions { Method = method, Controller = new PIController(1e-10, 1e-10) });

        Assert.Equal(TrajectoryStatus.Success, solution.Status[0]);
        Assert.InRange(problem.NormRelativeError(solution), 0, problem.TightBound(method));
    }
}
