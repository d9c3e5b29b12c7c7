using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>
/// <see cref="Ode.Solve{T, TState, TSystem}"/>: one call for both kinds of dynamics and both modes, saving what
/// <see cref="SaveAt"/> says.
/// </summary>
public sealed class EntryPointTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly SolveOptions Tight = new() { Controller = new PIController(1e-10, 1e-12) };
    private static readonly Vec2<double>[] Y0 = [new(1, 0), new(0, 1)];
    private static readonly double[,] Omega = { { 2 }, { 3 } };

    [Theory]
    [InlineData(SolveMode.Auto)]
    [InlineData(SolveMode.Ensemble)]
    [InlineData(SolveMode.Batched)]
    public void By_default_only_the_final_state_is_saved_in_every_mode(SolveMode mode)
    {
        var solution = Ode.Solve(cpu.Device, default(Harmonic<double>), Y0, Omega, 0, 1, Tight with { Mode = mode });

        Assert.Equal([1.0], solution.Times);
        Assert.Equal(mode == SolveMode.Batched ? "batched" : "ensemble", solution.Mode);
        Assert.Equal(Math.Cos(2), solution[0, 0, 0], 1e-8);
        Assert.Equal(Math.Sin(3) / 3, solution[1, 0, 0], 1e-8);
    }

    [Theory]
    [InlineData(SolveMode.Ensemble)]
    [InlineData(SolveMode.Batched)]
    public void SaveAt_times_keeps_exactly_the_given_times_whether_or_not_they_include_t0_and_t1(SolveMode mode)
    {
        var inside = Ode.Solve(cpu.Device, default(Harmonic<double>), Y0, Omega, 0, 1, Tight with { Mode = mode, SaveAt = SaveAt.Times(0.25, 0.5) });
        var ends = Ode.Solve(cpu.Device, default(Harmonic<double>), Y0, Omega, 0, 1, Tight with { Mode = mode, SaveAt = SaveAt.Times(0, 0.5, 1) });

        Assert.Equal([0.25, 0.5], inside.Times);
        Assert.Equal([0.0, 0.5, 1.0], ends.Times);
        Assert.Equal(Math.Cos(0.5), inside[0, 0, 0], 1e-8);
        Assert.Equal(Math.Cos(1), inside[0, 1, 0], 1e-8);
        Assert.Equal(1.0, ends[0, 0, 0]);
        Assert.Equal(Math.Cos(2), ends[0, 2, 0], 1e-8);
    }

    [Theory]
    [InlineData(SolveMode.Ensemble)]
    [InlineData(SolveMode.Batched)]
    public void Without_parameters_the_fields_of_the_system_are_used_and_backward_spans_work(SolveMode mode)
    {
        var system = new Harmonic<double> { W = 2 };

        var solution = Ode.Solve(cpu.Device, system, [new Vec2<double>(Math.Cos(2), -2 * Math.Sin(2))], (double[,]?)null, 1, 0, Tight with { Mode = mode });

        Assert.Equal([0.0], solution.Times);
        Assert.Equal(1, solution[0, 0, 0], 1e-8);
    }

    [Fact]
    public void Batch_dynamics_are_solved_in_the_batched_mode_with_the_same_options()
    {
        using var dynamics = new SystemDynamics<double, Vec2<double>, Harmonic<double>>(cpu.Device, default, Omega);

        var solution = Ode.Solve(dynamics, new double[,] { { 1, 0 }, { 0, 1 } }, 0, 1, Tight with { SaveAt = SaveAt.Times(0.5, 1) });
        var refused = Assert.Throws<ArgumentException>(() => Ode.Solve(dynamics, new double[,] { { 1, 0 }, { 0, 1 } }, 0, 1, Tight with { Mode = SolveMode.Ensemble }));

        Assert.Equal("batched", solution.Mode);
        Assert.Equal(Math.Cos(2), solution[0, 1, 0], 1e-8);
        Assert.Equal("mode", refused.ParamName);
    }

    [Fact]
    public void What_cannot_be_honoured_is_refused_before_anything_is_launched()
    {
        var outside = Assert.Throws<ArgumentException>(() =>
            Ode.Solve(cpu.Device, default(Harmonic<double>), Y0, Omega, 0, 1, Tight with { SaveAt = SaveAt.Times(0.5, 1.5) }));
        var reversed = Assert.Throws<ArgumentException>(() =>
            Ode.Solve(cpu.Device, default(Harmonic<double>), Y0, Omega, 0, 1, Tight with { SaveAt = SaveAt.Times(0.5, 0.25) }));
        var ensembleForBatched = Assert.Throws<ArgumentException>(() =>
            Ode.Solve(cpu.Device, default(Harmonic<double>), Y0, Omega, 0, 1, Tight with { Mode = SolveMode.Batched }, new EnsembleOptions()));
        var saveAtElsewhere = Assert.Throws<ArgumentException>(() =>
            EnsembleSolver.Solve(cpu.Device, default(Harmonic<double>), Y0, Omega, [0, 1], Tight with { SaveAt = SaveAt.Times(0.5) }));

        Assert.Contains("SaveAt.Times[1] = 1.5 lies outside the span [0, 1]", outside.Message);
        Assert.Contains("strictly monotonic", reversed.Message);
        Assert.Equal("ensemble", ensembleForBatched.ParamName);
        Assert.Equal("saveAt", saveAtElsewhere.ParamName);
    }
}

/// <summary><see cref="SaveAt.Steps"/>: t0 and the end of every accepted step, each trajectory with its own times, padded with NaN.</summary>
public sealed class SaveStepsTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Theory]
    [InlineData(SolveMode.Ensemble)]
    [InlineData(SolveMode.Batched)]
    public void Every_accepted_step_is_saved_with_its_time_and_the_rest_is_NaN(SolveMode mode)
    {
        var options = new SolveOptions { Controller = new PIController(1e-8, 1e-10), SaveAt = SaveAt.Steps, MaxSteps = 300, Mode = mode };

        var solution = Ode.Solve(cpu.Device, default(ExpDecay<double, Vec1<double>>), [new Vec1<double>(1), new Vec1<double>(1)],
            new double[,] { { 1 }, { 8 } }, 0, 2, options);

        Assert.Equal(301, solution.Times.Length);
        for (var row = 0; row < 2; row++)
        {
            var steps = solution.Statistics.AcceptedSteps[row];
            Assert.Equal(0, solution.Time(row, 0));
            Assert.Equal(2, solution.Time(row, steps));
            for (var j = 1; j <= steps; j++)
            {
                Assert.True(solution.Time(row, j) > solution.Time(row, j - 1));
                Assert.Equal(Math.Exp(-(row == 0 ? 1 : 8) * solution.Time(row, j)), solution[row, j, 0], 1e-8);
            }
            for (var j = steps + 1; j < 301; j++)
                Assert.True(double.IsNaN(solution.Time(row, j)) && double.IsNaN(solution[row, j, 0]));
        }
        Assert.True(solution.Statistics.AcceptedSteps[1] > solution.Statistics.AcceptedSteps[0]); // the faster decay takes more steps
    }

    [Theory]
    [InlineData(SolveMode.Ensemble)]
    [InlineData(SolveMode.Batched)]
    public void Fixed_steps_are_saved_on_their_grid(SolveMode mode)
    {
        var options = new SolveOptions { Method = Tableaux.Methods.Rk4, Controller = new FixedStep(0.1), SaveAt = SaveAt.Steps, MaxSteps = 10, Mode = mode };

        var solution = Ode.Solve(cpu.Device, default(ExpDecay<double, Vec1<double>>), [new Vec1<double>(1)], new double[,] { { 1 } }, 0, 1, options);

        Assert.Equal(Enumerable.Range(0, 11).Select(k => k == 10 ? 1.0 : k * 0.1), solution.Times);
        Assert.Equal(Math.Exp(-1), solution[0, 10, 0], 1e-6);
    }
}
