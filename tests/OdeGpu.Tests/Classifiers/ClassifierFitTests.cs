using OdeGpu.Neural.Classifiers;
using OdeGpu.Neural.Data;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Classifiers;

/// <summary>
/// The training loop (<see cref="ClassifierFit"/>) on images the test draws: ten classes, each a bright bar at its own
/// place on noise. A few epochs lower the loss and leave the test error far below chance; the learning rate drops at
/// torchdiffeq's scaled milestones; the same seed gives the same history.
/// </summary>
public sealed class ClassifierFitTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Theory]
    [InlineData(ClassifierKind.Mlp, 4)]
    [InlineData(ClassifierKind.ResNet, 10)]
    public void A_few_epochs_lower_the_loss_and_learn_the_classes(ClassifierKind kind, int epochs)
    {
        var (train, test) = (Bars(320, seed: 1), Bars(100, seed: 2));
        // Planned for 160 epochs, so that the learning rate stays at 0.1 through the few that run.
        using var fit = new ClassifierFit(cpu.Device, new ClassifierArchitecture(kind, Width: 8), train, test, epochs: 160, batchSize: 32, augment: false, seed: 5);

        var history = Enumerable.Range(0, epochs).Select(_ => fit.Epoch()).ToArray();

        Assert.True(history[^1].Loss < 0.7 * history[0].Loss, $"loss {history[0].Loss} then {history[^1].Loss}");
        Assert.True(history[^1].TestError < 0.3, $"test error {history[^1].TestError}");
    }

    [Fact]
    public void The_learning_rate_drops_tenfold_at_the_scaled_milestones()
    {
        using var fit = new ClassifierFit(cpu.Device, new ClassifierArchitecture(ClassifierKind.Mlp), Bars(128, 1), Bars(10, 2), epochs: 16, batchSize: 128);

        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.001, 1e-4, 1e-4],
            Enumerable.Range(1, 16).Select(e => Math.Round(fit.LearningRateAt(e), 12)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_history()
    {
        ClassifierEpoch Run()
        {
            using var fit = new ClassifierFit(cpu.Device, new ClassifierArchitecture(ClassifierKind.ResNet, Width: 4), Bars(64, 1), Bars(20, 2), epochs: 1, batchSize: 32, seed: 9);
            return fit.Epoch();
        }

        var (first, second) = (Run(), Run());

        Assert.Equal((first.Loss, first.TrainError, first.TestError), (second.Loss, second.TrainError, second.TestError));
    }

    // A checkpoint after the first of three epochs, restored into a new fit, trains the last two as an uninterrupted run
    // does: the same crops and shuffles, momentum, rates, losses and parameters, bit for bit.
    [Fact]
    public void A_resumed_fit_continues_as_an_uninterrupted_one()
    {
        var directory = Directory.CreateTempSubdirectory("odegpu-classifier-resume").FullName;
        try
        {
            ClassifierFit Fit() => new(cpu.Device, new ClassifierArchitecture(ClassifierKind.Mlp), Bars(64, 1), Bars(20, 2), epochs: 3, batchSize: 32, seed: 4);
            using var uninterrupted = Fit();
            var expected = Enumerable.Range(0, 3).Select(_ => uninterrupted.Epoch(cancellation: TestContext.Current.CancellationToken)).ToArray();
            using (var first = Fit())
            {
                first.Epoch(cancellation: TestContext.Current.CancellationToken);
                ClassifierCheckpoint.Save(directory, first, "bars");
            }

            using var resumed = Fit();
            ClassifierCheckpoint.Restore(directory, resumed);
            var actual = Enumerable.Range(0, 2).Select(_ => resumed.Epoch(cancellation: TestContext.Current.CancellationToken)).ToArray();

            Assert.Equal(expected[1..].Select(e => (e.Epoch, e.LearningRate, e.Loss, e.TrainError, e.TestError)), actual.Select(e => (e.Epoch, e.LearningRate, e.Loss, e.TrainError, e.TestError)));
            Assert.Equal(cpu.Device.Download(uninterrupted.Model.Parameters), cpu.Device.Download(resumed.Model.Parameters));
            Assert.Equal(new ClassifierTraining("bars", 64, 20, 1, 3, 32, 0.1, true, 4), ClassifierCheckpoint.Training(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // Class c: a vertical bar 3 pixels wide at column 2 + 2.5 c, on uniform noise of amplitude 0.3.
    private static LabelledImages Bars(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * 784];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
            var column = 2 + (int)(2.5 * labels[i]);
            for (var p = 0; p < 784; p++)
                pixels[i * 784 + p] = (float)(0.3 * random.NextDouble()) + (Math.Abs(p % 28 - column) <= 1 ? 0.7f : 0f);
        }
        return new LabelledImages(pixels, labels, 28, 28);
    }
}
