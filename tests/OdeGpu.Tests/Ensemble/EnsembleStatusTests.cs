using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>The statuses of the batched tests, now in the ensemble mode, with the direct launcher.</summary>
public sealed class EnsembleStatusTests(CpuDevice cpu) : EnsembleStatusSpecification(cpu.Device), IClassFixture<CpuDevice>;

/// <summary>The same statuses through ILGPU's CPU accelerator.</summary>
public sealed class EnsembleStatusOnAcceleratorTests(AcceleratorDevice cpu) : EnsembleStatusSpecification(cpu.Device), IClassFixture<AcceleratorDevice>;

/// <summary>Each status is produced by a problem built to hit it; a failing trajectory never changes the others.</summary>
public abstract class EnsembleStatusSpecification(OdeDevice device)
{
    private static readonly SolveOptions Tight = new() { Method = Methods.Dopri5, Controller = new PIController(1e-8, 1e-8) };

    [Fact]
    public void Too_few_steps_stop_with_MaxStepsReached()
    {
        var solution = Lorenz(Tight with { MaxSteps = 10 });

        Assert.Equal(TrajectoryStatus.MaxStepsReached, solution.Status[0]);
        Assert.Equal(10, solution.Statistics.AcceptedSteps[0] + solution.Statistics.RejectedSteps[0]);
    }

    [Fact]
    public void A_finite_time_blowup_stops_with_StepSizeTooSmall()
    {
        var solution = EnsembleSolver.Solve(device, default(Blowup<double>), [new Vec1<double>(1)], new double[1, 0], [0, 0.5, 2], Tight);

        Assert.Equal(TrajectoryStatus.StepSizeTooSmall, solution.Status[0]);
        Assert.Equal(2.0, solution[0, 1, 0], 1e-6);
    }

    [Fact]
    public void A_minimum_step_larger_than_the_tolerance_allows_stops_with_StepSizeTooSmall()
    {
        var solution = Lorenz(Tight with { MinStep = 0.1 });

        Assert.Equal(TrajectoryStatus.StepSizeTooSmall, solution.Status[0]);
    }

    [Fact]
    public void An_overflow_stops_with_NonFinite()
    {
        var solution = EnsembleSolver.Solve(device, default(ExpDecay<float, Vec1<float>>), [new Vec1<float>(1)], new float[,] { { -200 } }, [0, 1],
            new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.01) });

        Assert.Equal(TrajectoryStatus.NonFinite, solution.Status[0]);
    }

    [Fact]
    public void Output_times_a_trajectory_never_reached_are_NaN()
    {
        // y = e^(1000 t) overflows near t = 0.71
        var solution = EnsembleSolver.Solve(device, default(ExpDecay<double, Vec1<double>>), [new Vec1<double>(1)], new double[,] { { -1000 } }, [0, 0.5, 1, 100], Tight);

        Assert.Equal(TrajectoryStatus.NonFinite, solution.Status[0]);
        Assert.True(double.IsFinite(solution[0, 1, 0]), "y(0.5) was reached");
        Assert.True(double.IsNaN(solution[0, 2, 0]) && double.IsNaN(solution[0, 3, 0]), "y(1) and y(100) were never reached");
    }

    [Fact]
    public void A_failing_trajectory_never_changes_the_others()
    {
        var orbit = new Vec4<double>(0.5, 0, 0, Math.Sqrt(3));
        var origin = new Vec4<double>(0, 0, 0, 0);

        var mixed = EnsembleSolver.Solve(device, default(Kepler<double>), [orbit, origin, orbit], new double[3, 0], [0, 1, 2], Tight);
        var single = EnsembleSolver.Solve(device, default(Kepler<double>), [orbit], new double[1, 0], [0, 1, 2], Tight);

        Assert.Equal([TrajectoryStatus.Success, TrajectoryStatus.NonFinite, TrajectoryStatus.Success], mixed.Status);
        Assert.Equal(single.State(0, 2), mixed.State(0, 2));
        Assert.Equal(single.State(0, 2), mixed.State(2, 2));
    }

    [Fact]
    public void Bad_input_is_rejected_before_any_kernel_runs()
    {
        var nan = Assert.Throws<ArgumentException>(() => EnsembleSolver.Solve(device, default(Harmonic<double>), [new Vec2<double>(double.NaN, 0)], new double[1, 1], [0, 1]));
        var shape = Assert.Throws<ArgumentException>(() => EnsembleSolver.Solve(device, default(Harmonic<double>), [new Vec2<double>(1, 0)], new double[2, 1], [0, 1]));
        var slices = Assert.Throws<ArgumentException>(() => EnsembleSolver.Solve(device, default(Harmonic<double>), [new Vec2<double>(1, 0)], new double[1, 1], [0, 1],
            null, new EnsembleOptions { SliceSteps = 0 }));

        Assert.Contains("y0[0] is not finite", nan.Message);
        Assert.Contains("parameters must be [1 x 1] (trajectories x the system's parameters), but is [2 x 1]", shape.Message);
        Assert.Contains("slice steps must be at least 1", slices.Message);
    }

    private Solution<double> Lorenz(SolveOptions options) =>
        EnsembleSolver.Solve(device, default(Lorenz<double>), [new Vec3<double>(1, 0, 0)], new double[,] { { 10, 28, 8.0 / 3 } }, [0, 1], options);
}
