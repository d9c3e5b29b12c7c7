using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Gradients;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Adjoint;

/// <summary>
/// The batched discrete adjoint with checkpoints (<see cref="DiscreteAdjoint.CheckpointEvery"/>): keeping every k-th
/// state and recomputing the others gives the gradient of every state recorded, to round-off, for rows with different
/// step counts, outputs inside steps and at their ends, and k from 1 to more than the steps; it pays in evaluations,
/// not memory. The problem is dz/dt = A z + t b with L = sum over output times of c . z(t_i).
/// </summary>
public sealed class CheckpointedDiscreteAdjointTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[,] A = { { -0.5, 1.0 }, { -1.0, -0.3 } };
    private static readonly double[] B = [0.7, -0.4];
    private static readonly double[] Times = [0, 0.37, 1.1, 2, 6];
    private static readonly double[,] Y0 = { { 1, 0 }, { 0.5, -1 }, { -20, 0.25 } };

    public static TheoryData<string, double, int> Cases => new()
    {
        { "dopri5", 0, 1 }, { "dopri5", 0, 2 }, { "dopri5", 0, 3 }, { "dopri5", 0, 7 }, { "dopri5", 0, 1000 },
        { "tsit5", 0, 4 }, { "bosh3", 0, 5 }, { "dopri8", 0, 3 }, { "rk4", 0.15, 4 }, { "euler", 0.05, 6 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Checkpoints_give_the_gradient_of_every_state_recorded(string method, double dt, int every)
    {
        var options = new SolveOptions
        {
            Method = Methods.Parse(method),
            Controller = dt > 0 ? new FixedStep(dt) : new PIController(1e-6, 1e-8),
            Adjoint = new DiscreteAdjoint(),
        };
        var c = RandomCotangents.Of(Y0.GetLength(0), Times.Length, 2, seed: 21);

        var all = Gradient(options, c);
        var checkpointed = Gradient(options with { Adjoint = new DiscreteAdjoint { CheckpointEvery = every } }, c);

        Assert.True(all.Forward.Statistics.AcceptedSteps.Distinct().Count() > 1 || dt > 0, "rows should take different steps");
        foreach (var (expected, actual) in new[] { (all.InitialState, checkpointed.InitialState), (AsRow(all.SharedParameters!), AsRow(checkpointed.SharedParameters!)), (all.Times, checkpointed.Times) })
        {
            var scale = expected.Cast<double>().Max(Math.Abs);
            for (var r = 0; r < expected.GetLength(0); r++)
                for (var k = 0; k < expected.GetLength(1); k++)
                    Assert.True(Math.Abs(expected[r, k] - actual[r, k]) <= 1e-12 * scale, $"[{r}, {k}]: {actual[r, k]}, expected {expected[r, k]}");
        }
        var extra = checkpointed.Backward.TotalEvaluations - all.Backward.TotalEvaluations;
        if (every == 1)
            Assert.Equal(0, extra);
        else
            Assert.True(extra > 0, "recomputing the states between checkpoints costs evaluations");
    }

    private static double[,] AsRow(double[] values)
    {
        var row = new double[1, values.Length];
        for (var k = 0; k < values.Length; k++)
            row[0, k] = values[k];
        return row;
    }

    [Fact]
    public void A_checkpoint_interval_below_one_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new DiscreteAdjoint { CheckpointEvery = 0 });

        Assert.Equal(nameof(DiscreteAdjoint.CheckpointEvery), error.ParamName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_fused_ensemble_gradient_refuses_checkpoints_and_kept_evaluations(bool keep)
    {
        var options = new SolveOptions { Adjoint = keep ? new DiscreteAdjoint { KeepEvaluations = true } : new DiscreteAdjoint { CheckpointEvery = 4 } };

        var error = Assert.Throws<ArgumentException>(() => EnsembleGradient.Of(cpu.Device, default(VanDerPol<double>), [new State.Vec2<double>(2, 0)],
            new double[,] { { 1 } }, [0, 1], new double[1, 2, 2], options));

        Assert.Equal("options", error.ParamName);
    }

    private SolveGradient<double> Gradient(SolveOptions options, double[,,] c)
    {
        using var dynamics = new LinearDynamics(cpu.Device, A, B, Y0.GetLength(0));
        using var solver = new AdjointSolver<double>(dynamics, options, Times.Length);
        return solver.Gradient(Y0, Times, c);
    }
}
