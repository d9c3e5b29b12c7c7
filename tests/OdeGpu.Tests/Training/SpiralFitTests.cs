using OdeGpu.Gradients;
using OdeGpu.Neural.Training;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Training;

/// <summary>
/// torchdiffeq's ode_demo as <see cref="SpiralFit{T}"/> on the CPU, float64: the true spiral starts at [2, 0] and winds
/// inwards; batches are windows of consecutive true points; the same seed gives the same weights; a run resumed from a
/// checkpoint ends where an uninterrupted one does, bit for bit; a damaged checkpoint is refused naming the file; within
/// 300 iterations of RMSprop the demo's total loss falls below 0.5 (and half its first value), with either adjoint.
/// </summary>
public sealed class SpiralFitTests(CpuDevice cpu) : IClassFixture<CpuDevice>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-spiral-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_resumed_run_ends_where_an_uninterrupted_one_does()
    {
        var data = SpiralData.Generate(cpu.Device);
        var token = TestContext.Current.CancellationToken;
        using var straight = new SpiralFit<double>(cpu.Device, data, new DiscreteAdjoint(), seed: 5);
        using var first = new SpiralFit<double>(cpu.Device, data, new DiscreteAdjoint(), seed: 5);
        using var resumed = new SpiralFit<double>(cpu.Device, data, new DiscreteAdjoint(), seed: 5);

        var whole = straight.Run(40, 20, token).ToList();
        first.Run(25, 20, token).ToList();
        SpiralCheckpoint.Save(_directory, first);
        Assert.Equal(25, SpiralCheckpoint.Load(_directory, resumed));
        var rest = resumed.Run(40, 20, token).ToList();

        Assert.Equal(straight.Parameters, resumed.Parameters);
        Assert.Equal(whole.Skip(25).Select(h => h.Loss), rest.Select(h => h.Loss));
        Assert.Equal(["model.json", "model.safetensors", "optimizer.safetensors", "training.json"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("optimizer.safetensors", "optimizer.safetensors' is missing")]
    [InlineData("seed", "resuming needs an iteration and the run's seed, 9")]
    [InlineData("precision", "is a float64 model, but this run is float32")]
    public void A_damaged_or_foreign_checkpoint_is_refused_naming_the_file(string damage, string fault)
    {
        var data = SpiralData.Generate(cpu.Device);
        using (var fit = new SpiralFit<double>(cpu.Device, data, new DiscreteAdjoint(), seed: 9))
        {
            fit.Run(3, 3, TestContext.Current.CancellationToken).ToList();
            SpiralCheckpoint.Save(_directory, fit);
        }
        if (damage == "optimizer.safetensors")
            File.Delete(Path.Combine(_directory, damage));

        var error = Assert.Throws<InvalidDataException>(() =>
        {
            if (damage == "precision")
            {
                using var single = new SpiralFit<float>(cpu.Device, data, new DiscreteAdjoint(), seed: 9);
                SpiralCheckpoint.Load(_directory, single);
                return;
            }
            using var other = new SpiralFit<double>(cpu.Device, data, new DiscreteAdjoint(), seed: damage == "seed" ? 10 : 9);
            SpiralCheckpoint.Load(_directory, other);
        });

        Assert.Contains(_directory, error.Message);
        Assert.Contains(fault.Replace("resuming needs an iteration and the run's seed, 9", "resuming needs an iteration and the run's seed, 10"), error.Message);
    }

    [Fact]
    public void The_true_spiral_and_its_windows_are_the_demos()
    {
        var data = SpiralData.Generate(cpu.Device);
        var (y0, times, targets) = data.Batch(new Random(1));

        Assert.Equal(1000, data.Times.Length);
        Assert.Equal(25, data.Times[^1], 12);
        Assert.Equal([2.0, 0.0], [data.States[0, 0], data.States[0, 1]]);
        Assert.True(Math.Abs(data.States[999, 0]) + Math.Abs(data.States[999, 1]) < 1, "the spiral winds inwards");
        Assert.Equal(data.Times[..10], times);
        for (var m = 0; m < 20; m++)
        {
            var start = Enumerable.Range(0, 990).Single(k => data.States[k, 0] == y0[m, 0] && data.States[k, 1] == y0[m, 1]);
            Assert.Equal(data.States[start + 9, 1], targets[m, 9, 1]);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        var data = SpiralData.Generate(cpu.Device);
        using var first = new SpiralFit<double>(cpu.Device, data, new DiscreteAdjoint(), seed: 3);
        using var second = new SpiralFit<double>(cpu.Device, data, new DiscreteAdjoint(), seed: 3);

        first.Run(30, 10, TestContext.Current.CancellationToken).ToList();
        second.Run(30, 10, TestContext.Current.CancellationToken).ToList();

        Assert.Equal(first.Parameters, second.Parameters);
    }

    // torchdiffeq's demo, over three seeds and both precisions, reaches a best total loss of 0.17-0.50 within 300 iterations.
    [Theory]
    [InlineData("discrete")]
    [InlineData("continuous")]
    public void Three_hundred_iterations_bring_the_demos_total_loss_below_one_half(string adjoint)
    {
        var data = SpiralData.Generate(cpu.Device);
        using var fit = new SpiralFit<double>(cpu.Device, data, adjoint == "discrete" ? new DiscreteAdjoint() : new ContinuousAdjoint());
        var initial = fit.EvalLoss();

        var history = fit.Run(300, 20, TestContext.Current.CancellationToken).ToList();

        var evaluated = history.Where(h => h.EvalLoss is not null).ToList();
        Assert.Equal(Enumerable.Range(1, 15).Select(k => 20 * k), evaluated.Select(h => h.Iteration));
        Assert.True(evaluated.Min(h => h.EvalLoss) < 0.5, $"best total loss {evaluated.Min(h => h.EvalLoss)} within 300 iterations, {initial} before");
        Assert.True(evaluated.Min(h => h.EvalLoss) < initial / 2);
        Assert.All(history, h => Assert.True(h.NfeForward > 0 && h.NfeBackward > 0));
    }
}
