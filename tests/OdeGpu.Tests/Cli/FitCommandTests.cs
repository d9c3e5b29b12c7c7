using System.Text.Json;
using OdeGpu.Cli;
using OdeGpu.Neural;
using OdeGpu.Neural.Checkpoints;

namespace OdeGpu.Tests.Cli;

/// <summary>
/// <c>odegpu fit spiral</c> on a short run: the demo's total loss printed every k iterations, history.csv with one row per
/// iteration and eval_loss on the evaluated ones, the weights as model.safetensors under the demo's names, the
/// architecture as model.json and the three pictures as PNG; a resumed run ending where an uninterrupted one does (the same bytes, the same history
/// but for the seconds); an interrupted run exiting with 130 and leaving a checkpoint that resumes; bad options refused
/// before training.
/// </summary>
public sealed class FitCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-fit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_short_run_writes_its_history_the_weights_and_the_architecture()
    {
        var output = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["fit", "spiral", "--iterations", "40", "--eval-every", "20", "--out", _directory], output, new StringWriter(), interactive: false);

        Assert.Equal(0, code);
        Assert.Contains("Iter 0020 | Total Loss", output.ToString());
        var history = File.ReadAllLines(Path.Combine(_directory, "history.csv"));
        Assert.Equal("iteration,loss,nfe_forward,nfe_backward,seconds,eval_loss", history[0]);
        Assert.Equal(41, history.Length);
        Assert.Equal(["20", "40"], history.Skip(1).Where(l => !l.EndsWith(',')).Select(l => l.Split(',')[0]));
        var (tensors, metadata) = SafeTensors.Read(Path.Combine(_directory, "model.safetensors"));
        Assert.Equal(["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"], tensors.Select(t => t.Name));
        Assert.All(tensors, t => Assert.True(t.Double));
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal(MlpDynamics<double, Tanh>.ParameterCountOf([2, 50, 2]), MlpStateDict.FromTensors<double>(tensors, [2, 50, 2], MlpLayer.Linear, "model").Length);
        using var architecture = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "model.json")));
        Assert.Equal("cube", architecture.RootElement.GetProperty("input").GetString());
        foreach (var picture in new[] { "trajectories.png", "phase.png", "loss.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(_directory, picture));
            Assert.True(bytes.Length > 10_000, $"{picture} holds {bytes.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }
        Assert.DoesNotContain(Directory.GetFiles(_directory), f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.Contains(".tmp.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resuming_a_checkpoint_ends_where_an_uninterrupted_run_does()
    {
        var straight = Path.Combine(_directory, "straight");
        var split = Path.Combine(_directory, "split");
        async Task Fit(params string[] options) =>
            Assert.Equal(0, await OdeGpuProgram.RunAsync(["fit", "spiral", "--seed", "4", "--eval-every", "10", .. options], new StringWriter(), new StringWriter(), interactive: false));

        await Fit("--iterations", "30", "--out", straight);
        await Fit("--iterations", "12", "--out", split);
        var resumed = new StringWriter();
        Assert.Equal(0, await OdeGpuProgram.RunAsync(["fit", "spiral", "--iterations", "30", "--eval-every", "10", "--resume", split], resumed, new StringWriter(), interactive: false));

        Assert.Contains("30 iterations from 12", resumed.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "model.safetensors")), File.ReadAllBytes(Path.Combine(split, "model.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "optimizer.safetensors")), File.ReadAllBytes(Path.Combine(split, "optimizer.safetensors")));
        var history = File.ReadAllLines(Path.Combine(split, "history.csv"));
        Assert.Equal(31, history.Length);
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, "history.csv")).Select(l => string.Join(',', l.Split(',').Where((_, k) => k != 4))),
            history.Select(l => string.Join(',', l.Split(',').Where((_, k) => k != 4))));
    }

    [Fact]
    public async Task An_interrupted_run_exits_with_the_shells_code_and_leaves_a_checkpoint_that_resumes()
    {
        using var interruption = new Interruption();
        interruption.Raise(System.Runtime.InteropServices.PosixSignal.SIGINT);
        var error = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["fit", "spiral", "--iterations", "20", "--out", _directory], new StringWriter(), error, false, interruption);
        var resumed = await OdeGpuProgram.RunAsync(["fit", "spiral", "--iterations", "20", "--resume", _directory], new StringWriter(), new StringWriter(), interactive: false);

        Assert.Equal(130, code);
        Assert.Contains("stopped training and saved a checkpoint that --resume continues", error.ToString());
        Assert.Equal(0, resumed);
        Assert.Equal(21, File.ReadAllLines(Path.Combine(_directory, "history.csv")).Length);
    }

    [Theory]
    [InlineData("--adjoint", "exact", "--adjoint must be continuous or discrete, but was 'exact'")]
    [InlineData("--iterations", "0", "--iterations must be at least 1, but was 0")]
    [InlineData("--precision", "float16", "--precision must be float64 or float32, but was 'float16'")]
    public async Task Bad_options_are_refused_before_training(string option, string value, string message)
    {
        var error = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["fit", "spiral", option, value, "--out", _directory], new StringWriter(), error, interactive: false);

        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString());
        Assert.Empty(Directory.GetFiles(_directory));
    }
}
