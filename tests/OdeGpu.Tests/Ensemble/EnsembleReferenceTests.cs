using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>The fused ensemble mode against the batched mode on the same problems.</summary>
public sealed class EnsembleReferenceTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    public static TheoryData<string> MethodNames => new(Methods.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(ReferenceProblem.Names), MemberType = typeof(ReferenceProblem))]
    public void Ensemble_and_batched_modes_agree_to_the_tolerance_with_the_same_work(string name)
    {
        var problem = ReferenceProblem.Named(name);
        var options = new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(1e-8, 1e-8) };

        var ensemble = problem.SolveEnsemble<double>(cpu.Device, options);
        var batched = problem.Solve<double>(cpu.Device, options);

        Assert.Equal(batched.Status, ensemble.Status);
        for (var i = 0; i < batched.Values.Length; i++)
            Assert.Equal(batched.Values[i], ensemble.Values[i], 1e-6 * problem.Scale);
        // Same controller and tableau; round-off in the norms may move a step or two.
        Assert.InRange(ensemble.Statistics.TotalEvaluations, 0.97 * batched.Statistics.TotalEvaluations, 1.03 * batched.Statistics.TotalEvaluations);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Fixed_steps_give_the_batched_modes_values_for_every_tableau(string name)
    {
        var problem = ReferenceProblem.Named("van_der_pol_mu1");
        var options = new SolveOptions { Method = Methods.Parse(name), Controller = new FixedStep(0.01) };

        var ensemble = problem.SolveEnsemble<double>(cpu.Device, options);
        var batched = problem.Solve<double>(cpu.Device, options);

        Assert.Equal(batched.Statistics.Evaluations, ensemble.Statistics.Evaluations);
        Assert.Equal(batched.Statistics.AcceptedSteps, ensemble.Statistics.AcceptedSteps);
        for (var i = 0; i < batched.Values.Length; i++)
            Assert.Equal(batched.Values[i], ensemble.Values[i], 1e-12);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Adaptive_or_fixed_every_tableau_reaches_the_reference_in_float32(string name)
    {
        var method = Methods.Parse(name);
        var problem = ReferenceProblem.Named("lotka_volterra");
        var options = new SolveOptions
        {
            Method = method,
            Controller = method.IsAdaptive ? new PIController(1e-6, 1e-6) : new FixedStep(method.Order >= 4 ? 0.01 : 0.0005),
        };

        var solution = problem.SolveEnsemble<float>(cpu.Device, options);

        Assert.Equal(TrajectoryStatus.Success, solution.Status[0]);
        Assert.InRange(problem.NormRelativeError(solution), 0, method.Order == 1 ? 2e-2 : 1e-3);
    }
}

/// <summary>Every reference problem in the ensemble mode with the direct launcher.</summary>
public sealed class EnsembleReferenceProblemTests(CpuDevice cpu) : EnsembleReferenceSpecification(cpu.Device), IClassFixture<CpuDevice>;

/// <summary>Every reference problem in the ensemble mode through ILGPU's CPU accelerator.</summary>
public sealed class EnsembleReferenceProblemOnAcceleratorTests(AcceleratorDevice cpu) : EnsembleReferenceSpecification(cpu.Device), IClassFixture<AcceleratorDevice>;

/// <summary>The fused ensemble mode against problems.json.</summary>
public abstract class EnsembleReferenceSpecification(OdeDevice device)
{
    [Theory]
    [MemberData(nameof(ReferenceProblem.WithAdaptiveMethods), MemberType = typeof(ReferenceProblem))]
    public void Every_reference_problem_is_matched_at_tight_tolerance(string problemName, string methodName)
    {
        var problem = ReferenceProblem.Named(problemName);
        var method = Methods.Parse(methodName);

        var solution = problem.SolveEnsemble<double>(device, new SolveOptions { Method = method, Controller = new PIController(1e-10, 1e-10) });

        Assert.Equal("ensemble", solution.Mode);
        Assert.Equal(TrajectoryStatus.Success, solution.Status[0]);
        Assert.InRange(problem.NormRelativeError(solution), 0, problem.TightBound(method));
    }
}
