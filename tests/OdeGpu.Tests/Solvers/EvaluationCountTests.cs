using OdeGpu.Control;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>A row's evaluation count in a batch is what solving it alone costs, however long the other rows run.</summary>
public sealed class EvaluationCountTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Theory]
    [InlineData("heun")]
    [InlineData("dopri8")]
    public void A_row_that_finishes_early_is_charged_as_if_solved_alone(string method)
    {
        // r = 0 decays to rest in few steps; r = 28 is chaotic and needs many more.
        var options = new SolveOptions { Method = Methods.Parse(method), Controller = new PIController(1e-7, 1e-7) };
        double[] times = [0, 2];

        var batch = Batches.Lorenz<double>(cpu.Device, 2, 0, 28, times, options);
        var easy = Batches.Lorenz<double>(cpu.Device, 1, 0, 0, times, options);
        var hard = Batches.Lorenz<double>(cpu.Device, 1, 28, 28, times, options);

        Assert.True(2 * easy.Statistics.AcceptedSteps[0] < hard.Statistics.AcceptedSteps[0], "the easy row should finish well before the hard one");
        Assert.Equal(easy.Statistics.Evaluations[0], batch.Statistics.Evaluations[0]);
        Assert.Equal(hard.Statistics.Evaluations[0], batch.Statistics.Evaluations[1]);
    }
}
