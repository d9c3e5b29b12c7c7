using System.Globalization;
using System.Text.Json;
using OdeGpu.Cli;
using OdeGpu.Neural.Checkpoints;

namespace OdeGpu.Tests.Cli;

/// <summary>
/// <c>odegpu flow</c> on a small flow: training prints the test NLL every k iterations and writes history.csv, the
/// parameters under FFJORD's names, the architecture and four pictures; a resumed run ends where an uninterrupted one
/// does; an interrupted run exits with 130 and leaves a checkpoint that resumes; sample writes one row per sample with the
/// coordinates last, density a PNG; bad options are refused before anything runs.
/// </summary>
public sealed class FlowCommandTests : IDisposable
{
    private static readonly string[] Small = ["--hidden", "8-8", "--test-batch", "50", "--batch", "20"];
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-flow-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Training_writes_its_history_the_checkpoint_and_the_pictures_and_the_model_samples_and_draws()
    {
        var output = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["flow", "train", "--data", "pinwheel", "--iterations", "6", "--test-every", "3", "--out", _directory, .. Small],
            output, new StringWriter(), interactive: false);

        Assert.Equal(0, code);
        Assert.Contains("Iter 0003 | Test NLL", output.ToString());
        var history = File.ReadAllLines(Path.Combine(_directory, "history.csv"));
        Assert.Equal("iteration,loss,nll,kinetic,frobenius,nfe_forward,nfe_backward,end_time,seconds,test_nll,failed", history[0]);
        Assert.Equal(7, history.Length);
        Assert.Equal(["3", "6"], history.Skip(1).Where(l => l.Split(',')[9].Length > 0).Select(l => l.Split(',')[0]));
        var (tensors, metadata) = SafeTensors.Read(Path.Combine(_directory, "model.safetensors"));
        Assert.Equal("chain.0.odefunc.diffeq.layers.0._layer.weight", tensors[0].Name);
        Assert.Equal(("chain.0.sqrt_end_time", 0), (tensors[^1].Name, tensors[^1].Shape.Length));
        Assert.Equal("pt", metadata["format"]);
        using var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "model.json")));
        Assert.Equal("pinwheel", model.RootElement.GetProperty("data").GetString());
        foreach (var picture in new[] { "data.png", "samples.png", "density.png", "loss.png" })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(_directory, picture))[..4]);

        var csv = Path.Combine(_directory, "samples.csv");
        var png = Path.Combine(_directory, "grid.png");
        Assert.Equal(0, await OdeGpuProgram.RunAsync(["flow", "sample", "--model", _directory, "--count", "25", "--out", csv], new StringWriter(), new StringWriter(), false));
        Assert.Equal(0, await OdeGpuProgram.RunAsync(["flow", "density", "--model", _directory, "--out", png, "--grid", "20"], new StringWriter(), new StringWriter(), false));

        var rows = File.ReadAllLines(csv);
        Assert.Equal("sample,status,log_density,x,y", rows[0]);
        Assert.Equal(26, rows.Length);
        Assert.All(rows.Skip(1), r => Assert.True(r.Split(',')[^2..].All(v => double.IsFinite(double.Parse(v, CultureInfo.InvariantCulture))), r));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
        Assert.DoesNotContain(Directory.GetFiles(_directory), f => f.Contains(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resuming_a_checkpoint_ends_where_an_uninterrupted_run_does()
    {
        var straight = Path.Combine(_directory, "straight");
        var split = Path.Combine(_directory, "split");
        async Task Train(params string[] options) =>
            Assert.Equal(0, await OdeGpuProgram.RunAsync(["flow", "train", "--seed", "4", "--test-every", "3", "--trace", "rademacher", .. Small, .. options],
                new StringWriter(), new StringWriter(), interactive: false));

        await Train("--iterations", "6", "--out", straight);
        await Train("--iterations", "3", "--out", split);
        var resumed = new StringWriter();
        Assert.Equal(0, await OdeGpuProgram.RunAsync(["flow", "train", "--iterations", "6", "--test-every", "3", "--test-batch", "50", "--batch", "20", "--resume", split],
            resumed, new StringWriter(), interactive: false));

        Assert.Contains("6 iterations from 3", resumed.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "model.safetensors")), File.ReadAllBytes(Path.Combine(split, "model.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "optimizer.safetensors")), File.ReadAllBytes(Path.Combine(split, "optimizer.safetensors")));
        static IEnumerable<string> WithoutSeconds(string path) => File.ReadAllLines(path).Select(l => string.Join(',', l.Split(',').Where((_, k) => k != 8)));
        Assert.Equal(WithoutSeconds(Path.Combine(straight, "history.csv")), WithoutSeconds(Path.Combine(split, "history.csv")));
    }

    [Fact]
    public async Task An_interrupted_run_exits_with_the_shells_code_and_leaves_a_checkpoint_that_resumes()
    {
        using var interruption = new Interruption();
        interruption.Raise(System.Runtime.InteropServices.PosixSignal.SIGINT);
        var error = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["flow", "train", "--iterations", "4", "--out", _directory, .. Small], new StringWriter(), error, false, interruption);
        var resumed = await OdeGpuProgram.RunAsync(["flow", "train", "--iterations", "4", "--resume", _directory, "--test-batch", "50", "--batch", "20"],
            new StringWriter(), new StringWriter(), interactive: false);

        Assert.Equal(130, code);
        Assert.Contains("stopped training and saved a checkpoint that --resume continues", error.ToString());
        Assert.Equal(0, resumed);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(_directory, "history.csv")).Length);
    }

    [Theory]
    [InlineData("train", "--data", "spirals", "--data must be one of 8gaussians, pinwheel, checkerboard, 2spirals, rings, moons, circles, swissroll, but was 'spirals'")]
    [InlineData("train", "--hidden", "64-x", "--hidden must be positive widths joined by '-' (as 64-64-64), but was '64-x'")]
    [InlineData("train", "--trace", "hutchinson", "--trace must be exact, rademacher or gaussian, but was 'hutchinson'")]
    [InlineData("train", "--kinetic", "-1", "--kinetic must be a non-negative weight, but was -1")]
    [InlineData("train", "--precision", "float16", "--precision must be float32 or float64, but was 'float16'")]
    [InlineData("sample", "--model", "/nonexistent", "--model must name a checkpoint directory of flow train, but '/nonexistent' is none")]
    [InlineData("density", "--model", "/nonexistent", "--model must name a checkpoint directory of flow train, but '/nonexistent' is none")]
    public async Task Bad_options_are_refused_before_anything_runs(string command, string option, string value, string message)
    {
        var error = new StringWriter();
        var target = Path.Combine(_directory, "out");

        var code = await OdeGpuProgram.RunAsync(["flow", command, option, value, "--out", target], new StringWriter(), error, interactive: false);

        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString());
        Assert.False(Path.Exists(target));
    }
}
