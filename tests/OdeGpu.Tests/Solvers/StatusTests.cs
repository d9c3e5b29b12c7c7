using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>Each status is produced by a problem built to hit it, and a failing row never stops the others.</summary>
public sealed class StatusTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly SolveOptions Tight = new() { Method = Methods.Dopri5, Controller = new PIController(1e-8, 1e-8) };

    [Fact]
    public void A_solve_that_reaches_t1_succeeds_and_ends_exactly_there()
    {
        var solution = Batches.Lorenz<double>(cpu.Device, 3, 0, 28, [0, 1], Tight);

        Assert.All(solution.Status, s => Assert.Equal(TrajectoryStatus.Success, s));
    }

    [Fact]
    public void Too_few_steps_stop_with_MaxStepsReached()
    {
        var solution = Batches.Lorenz<double>(cpu.Device, 2, 28, 28, [0, 1], Tight with { MaxSteps = 10 });

        Assert.All(solution.Status, s => Assert.Equal(TrajectoryStatus.MaxStepsReached, s));
        Assert.All(solution.Statistics.AcceptedSteps.Zip(solution.Statistics.RejectedSteps, (a, r) => a + r), n => Assert.Equal(10, n));
    }

    [Fact]
    public void A_finite_time_blowup_stops_with_StepSizeTooSmall()
    {
        using var dynamics = new SystemDynamics<double, Vec1<double>, Blowup<double>>(cpu.Device, default, new double[1, 0]);

        var solution = BatchedSolver.Solve(dynamics, Batches.Repeat<double>(1, 1), [0, 0.5, 2], Tight);

        Assert.Equal(TrajectoryStatus.StepSizeTooSmall, solution.Status[0]);
        Assert.Equal(2.0, solution[0, 1, 0], 1e-6); // y(0.5) = 1 / (1 - 0.5), written before the blow-up
    }

    [Fact]
    public void A_minimum_step_larger_than_the_tolerance_allows_stops_with_StepSizeTooSmall()
    {
        var solution = Batches.Lorenz<double>(cpu.Device, 1, 28, 28, [0, 1], Tight with { MinStep = 0.1 });

        Assert.Equal(TrajectoryStatus.StepSizeTooSmall, solution.Status[0]);
    }

    [Fact]
    public void An_overflow_stops_with_NonFinite()
    {
        var parameters = new float[,] { { -200f } }; // dy/dt = 200 y overflows float32 long before t = 1

        using var dynamics = new SystemDynamics<float, Vec1<float>, ExpDecay<float, Vec1<float>>>(cpu.Device, default, parameters);
        var solution = BatchedSolver.Solve(dynamics, Batches.Repeat<float>(1, 1), [0, 1],
            new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.01) });

        Assert.Equal(TrajectoryStatus.NonFinite, solution.Status[0]);
    }

    [Fact]
    public void Output_times_a_row_never_reached_are_NaN()
    {
        using var dynamics = new SystemDynamics<double, Vec1<double>, ExpDecay<double, Vec1<double>>>(cpu.Device, default, new double[,] { { -1000 } });

        var solution = BatchedSolver.Solve(dynamics, Batches.Repeat<double>(1, 1), [0, 0.5, 1, 100], Tight); // y = e^(1000 t) overflows near t = 0.71

        Assert.Equal(TrajectoryStatus.NonFinite, solution.Status[0]);
        Assert.True(double.IsFinite(solution[0, 1, 0]), "y(0.5) was reached");
        Assert.True(double.IsNaN(solution[0, 2, 0]) && double.IsNaN(solution[0, 3, 0]), "y(1) and y(100) were never reached");
    }

    [Fact]
    public void A_failing_row_never_changes_the_others()
    {
        // Kepler from the origin divides by zero at once; the rows around it are ordinary orbits.
        double[] orbit = [0.5, 0, 0, Math.Sqrt(3)];
        var y0 = new double[3, 4];
        for (var d = 0; d < 4; d++)
        {
            y0[0, d] = orbit[d];
            y0[2, d] = orbit[d];
        }
        using var batch = new SystemDynamics<double, Vec4<double>, Kepler<double>>(cpu.Device, default, new double[3, 0]);
        using var alone = new SystemDynamics<double, Vec4<double>, Kepler<double>>(cpu.Device, default, new double[1, 0]);

        var mixed = BatchedSolver.Solve(batch, y0, [0, 1, 2], Tight);
        var single = BatchedSolver.Solve(alone, Batches.Repeat<double>(1, orbit), [0, 1, 2], Tight);

        Assert.Equal([TrajectoryStatus.Success, TrajectoryStatus.NonFinite, TrajectoryStatus.Success], mixed.Status);
        Assert.Equal(single.State(0, 2), mixed.State(0, 2));
        Assert.Equal(single.State(0, 2), mixed.State(2, 2));
        Assert.Equal(single.Statistics.Evaluations[0], mixed.Statistics.Evaluations[2]);
    }
}
