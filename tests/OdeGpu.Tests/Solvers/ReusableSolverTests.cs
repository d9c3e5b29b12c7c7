using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>
/// The reusable batched solver: allocated once, solved many times from and into device buffers, resumed where it ended,
/// with a hook at each output time.
/// </summary>
public sealed class ReusableSolverTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly SolveOptions Options = new() { Method = Methods.Dopri5, Controller = new PIController(1e-9, 1e-12) };

    [Fact]
    public void Repeated_solves_match_a_one_off_solve_bit_for_bit_and_allocate_nothing_after_the_first()
    {
        using var dynamics = Decay(1.0, 2.0);
        var y0 = new double[,] { { 1 }, { 3 } };
        double[] times = [0, 0.5, 1];
        var oneOff = BatchedSolver.Solve(dynamics, y0, times, Options);
        using var solver = new BatchedSolver<double>(dynamics, Options, maxOutputTimes: 3);

        var first = solver.Solve(y0, times);
        var allocations = cpu.Device.Allocations;
        var second = solver.Solve(y0, times);
        var third = solver.Solve(y0, times);

        Assert.Equal(allocations, cpu.Device.Allocations);
        Assert.Equal(oneOff.Values, first.Values);
        Assert.Equal(oneOff.Values, second.Values);
        Assert.Equal(oneOff.Values, third.Values);
        Assert.Equal(oneOff.Statistics.Evaluations, third.Statistics.Evaluations);
    }

    [Fact]
    public void A_solve_on_the_device_starts_from_the_states_there_and_leaves_its_results_there()
    {
        using var dynamics = Decay(1.0, 2.0);
        using var solver = new BatchedSolver<double>(dynamics, Options);
        solver.State.CopyFromCPU([1.0, 3.0]); // as another kernel would have left them

        solver.SolveOnDevice(solver.State, [0, 1]);

        var final = cpu.Device.Download(solver.State);
        var output = cpu.Device.Download(solver.Output);
        Assert.Equal(Math.Exp(-1), final[0], 1e-8);
        Assert.Equal(3 * Math.Exp(-2), final[1], 1e-8);
        Assert.Equal([1.0, final[0], 3.0, final[1]], output); // [row][time][component]
    }

    [Fact]
    public void Its_outcome_is_the_status_and_statistics_of_the_solution_without_its_values()
    {
        using var dynamics = Decay(1.0, -800.0); // the second row overflows
        using var solver = new BatchedSolver<double>(dynamics, Options);

        var solution = solver.Solve(new double[,] { { 1 }, { 1 } }, [0, 1]);
        var outcome = solver.Outcome();

        Assert.Equal([TrajectoryStatus.Success, TrajectoryStatus.NonFinite], outcome.Status);
        Assert.Equal(solution.Status, outcome.Status);
        Assert.Equal(solution.Statistics.HostIterations, outcome.Statistics.HostIterations);
        Assert.Equal(solution.Statistics.Evaluations, outcome.Statistics.Evaluations);
        Assert.Equal(solution.Statistics.RejectedSteps, outcome.Statistics.RejectedSteps);
    }

    [Fact]
    public void A_resumed_solve_continues_with_the_step_and_controller_memory_it_ended_with()
    {
        using var dynamics = Decay(1.0);
        using var solver = new BatchedSolver<double>(dynamics, Options);
        solver.Solve(new double[,] { { 1 } }, [0, 1]);
        var proposed = cpu.Device.Download(solver.NextStep)[0];
        var memory = cpu.Device.Download(solver.ControllerMemory)[0];

        solver.SolveOnDevice(solver.State, [1, 2], resume: true);
        var resumed = solver.Download();

        Assert.True(proposed > 0 && memory is > 0 and < 1);
        Assert.Equal(Math.Exp(-2), resumed[0, 1, 0], 1e-8);
        // no first-step estimate: one evaluation of f(t0) and six per Dopri5 attempt after it
        var attempts = resumed.Statistics.AcceptedSteps[0] + resumed.Statistics.RejectedSteps[0];
        Assert.Equal(1 + 6 * attempts, resumed.Statistics.Evaluations[0]);
    }

    [Fact]
    public void A_hook_at_each_output_time_sees_the_state_there_and_its_change_takes_effect_from_there()
    {
        using var dynamics = Decay(1.0, 2.0);
        using var solver = new BatchedSolver<double>(dynamics, Options, maxOutputTimes: 4);
        var hook = new ResetToOne();

        solver.SolveOnDevice(Upload([1.0, 1.0]), [0, 1, 2, 3], hook: hook);
        var solution = solver.Download();

        Assert.Equal([1.0, 2.0, 3.0], hook.Times);
        for (var j = 1; j < 4; j++)
        {
            Assert.Equal(Math.Exp(-1), solution[0, j, 0], 1e-8); // stored before the hook resets it to 1
            Assert.Equal(Math.Exp(-2), solution[1, j, 0], 1e-8);
        }
        Assert.Equal([1.0, 1.0], cpu.Device.Download(solver.State));
        Assert.All(solution.Status, s => Assert.Equal(TrajectoryStatus.Success, s));
    }

    [Fact]
    public void A_row_that_failed_stays_failed_when_resumed_and_the_others_go_on_with_a_step_limit_of_their_own()
    {
        using var dynamics = Decay(1.0, -50.0);
        using var solver = new BatchedSolver<double>(dynamics, Options with { MaxSteps = 40 });
        solver.Solve(new double[,] { { 1 }, { 1 } }, [0, 1]);

        solver.SolveOnDevice(solver.State, [1, 2], resume: true);
        var resumed = solver.Download();

        Assert.Equal(TrajectoryStatus.Success, resumed.Status[0]);
        Assert.Equal(TrajectoryStatus.MaxStepsReached, resumed.Status[1]);
        Assert.Equal(Math.Exp(-2), resumed[0, 1, 0], 1e-8);
        Assert.True(double.IsNaN(resumed[1, 1, 0]));
    }

    [Fact]
    public void Fixed_steps_keep_their_grid_across_the_intervals_of_a_hook_and_a_resumed_solve()
    {
        using var dynamics = Decay(1.0);
        var rk4 = new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.1) };
        var plain = BatchedSolver.Solve(dynamics, new double[,] { { 1 } }, [0, 0.5, 1], rk4);
        using var solver = new BatchedSolver<double>(dynamics, rk4, maxOutputTimes: 3);

        solver.SolveOnDevice(Upload([1.0]), [0, 0.5, 1], hook: new Unchanged());
        var hooked = solver.Download();
        solver.SolveOnDevice(solver.State, [1, 2], resume: true);
        var resumed = solver.Download();

        Assert.Equal(10, plain.Statistics.AcceptedSteps[0]);
        Assert.Equal(10, hooked.Statistics.AcceptedSteps[0]);
        Assert.Equal(plain[0, 2, 0], hooked[0, 2, 0], 1e-14);
        Assert.Equal(10, resumed.Statistics.AcceptedSteps[0]);
        Assert.Equal(Math.Exp(-2), resumed[0, 1, 0], 1e-6);
    }

    [Fact]
    public void Misuse_is_refused_before_anything_is_launched()
    {
        using var dynamics = Decay(1.0);
        using var solver = new BatchedSolver<double>(dynamics, Options);

        var resume = Assert.Throws<InvalidOperationException>(() => solver.SolveOnDevice(solver.State, [0, 1], resume: true));
        var tooMany = Assert.Throws<ArgumentException>(() => solver.Solve(new double[,] { { 1 } }, [0, 1, 2]));
        var shape = Assert.Throws<ArgumentException>(() => solver.SolveOnDevice(Upload([1.0, 2.0]), [0, 1]));
        var capacity = Assert.Throws<ArgumentException>(() => new BatchedSolver<double>(dynamics, Options, maxOutputTimes: 1));

        Assert.Contains("no earlier solve to resume", resume.Message);
        Assert.Contains("at most 2 (maxOutputTimes)", tooMany.Message);
        Assert.Equal("y0", shape.ParamName);
        Assert.Equal("maxOutputTimes", capacity.ParamName);
    }

    private SystemDynamics<double, Vec1<double>, ExpDecay<double, Vec1<double>>> Decay(params double[] rates)
    {
        var parameters = new double[rates.Length, 1];
        for (var r = 0; r < rates.Length; r++)
            parameters[r, 0] = rates[r];
        return new(cpu.Device, default, parameters);
    }

    private ArrayView<double> Upload(double[] values) => cpu.Device.Upload(values).View;

    /// <summary>Changes nothing.</summary>
    private sealed class Unchanged : IOutputHook<double>
    {
        public void AtOutput(int index, double time, ArrayView<double> state)
        {
        }
    }

    /// <summary>Records the output times it is called at and sets every state to 1 there.</summary>
    private sealed class ResetToOne : IOutputHook<double>
    {
        public List<double> Times { get; } = [];

        public void AtOutput(int index, double time, ArrayView<double> state)
        {
            Times.Add(time);
            state.CopyFromCPU(Enumerable.Repeat(1.0, (int)state.Length).ToArray());
        }
    }
}
