using OdeGpu.Control;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

public sealed class ReferenceSolutionTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var problem in ReferenceProblem.All)
            foreach (var method in new[] { "dopri5", "tsit5", "dopri8" })
                data.Add(problem.Name, method);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_reference_problem_is_matched_at_tight_tolerance(string problemName, string methodName)
    {
        var problem = ReferenceProblem.Named(problemName);
        var method = Methods.Parse(methodName);

        var solution = problem.Solve<double>(cpu.Device, new SolveOptions { Method = method, Controller = new PIController(1e-10, 1e-10) });

        Assert.Equal(TrajectoryStatus.Success, solution.Status[0]);
        Assert.InRange(problem.NormRelativeError(solution), 0, Bound(problem, method));
    }

    // The Arenstorf orbit passes close to the moon and amplifies every local error: at rtol = atol = 1e-10 SciPy's own
    // RK45 ends 1.6e-6 and its DOP853 6.4e-7 from the reference (measured), so fifth-order methods get 1e-6 there.
    private static double Bound(ReferenceProblem problem, ButcherTableau method) =>
        problem.Name == "arenstorf" && method.Order < 8 ? 1e-6 : 1e-7;
}
