using OdeGpu.Cli.Commands;
using OdeGpu.Flows;
using OdeGpu.Flows.Training;
using OdeGpu.Gradients;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Flows;

/// <summary>
/// FFJORD's toy experiment on the CPU with its defaults and a fixed seed (float32, Dopri5 at 1e-5, Adam, batch 100):
/// within 200 iterations on 8gaussians the test NLL falls below 3.6 nats (FFJORD: 3.46 at 200), and the trained flow's
/// density integrates to 1 within 1% over a grid that covers the data; a fixed T stays fixed, a trained one moves.
/// </summary>
public sealed class FlowFitTests(FlowFitTests.Trained trained) : IClassFixture<FlowFitTests.Trained>
{
    [Fact]
    public void A_short_8gaussians_run_brings_the_test_nll_below_3_6_nats_within_200_iterations()
    {
        var tested = trained.History.Where(h => h.TestNll is not null).ToList();

        Assert.Equal([50, 100, 150, 200], tested.Select(h => h.Iteration));
        Assert.True(tested[^1].TestNll < 3.6, $"test NLL {string.Join(", ", tested.Select(h => h.TestNll))}");
        Assert.True(tested[0].TestNll > tested[^1].TestNll + 0.5, "training lowers the test NLL");
        Assert.All(trained.History, h => Assert.Equal(0, h.Failed));
    }

    [Fact]
    public void The_trained_density_integrates_to_one_within_one_percent()
    {
        const int n = 120;
        const double lo = -5.5, hi = 5.5;

        var density = FlowCommand.DensityGrid(trained.Device.Device, trained.Model, n, lo, hi);

        var cell = Math.Pow((hi - lo) / n, 2);
        var mass = density.Cast<double>().Sum() * cell;
        Assert.True(Math.Abs(mass - 1) < 0.01, $"the density integrates to {mass}");
    }

    // A fixed T is a constant: weight decay must not shrink it (Adam would move it by the learning rate every step).
    [Fact]
    public void A_fixed_end_time_stays_as_it_is_and_a_trained_one_moves()
    {
        double EndTimeAfter(bool train)
        {
            var architecture = new FlowArchitecture(Hidden: [8], TrainEndTime: train);
            using var fit = new FlowFit<float>(trained.Device.Device, architecture, "moons", new ContinuousAdjoint(), batch: 20, testBatch: 20);
            return fit.Run(5, testEvery: 5).Last().EndTime;
        }

        Assert.Equal(0.5, EndTimeAfter(train: false), 7);
        Assert.NotEqual(0.5, EndTimeAfter(train: true), 3);
    }

    /// <summary>A flow trained once for the class: 200 iterations of 8gaussians, seed 0.</summary>
    public sealed class Trained : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-flowfit-").FullName;

        public Trained()
        {
            using var fit = new FlowFit<float>(Device.Device, new FlowArchitecture(), "8gaussians", new ContinuousAdjoint(), seed: 0);
            History = [.. fit.Run(200, testEvery: 50)];
            FlowCheckpoint.Save(_directory, fit);
            Model = FlowCheckpoint.LoadModel(_directory);
        }

        public CpuDevice Device { get; } = new();

        public IReadOnlyList<FlowHistoryRow> History { get; }

        public FlowModel Model { get; }

        public void Dispose()
        {
            Device.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
