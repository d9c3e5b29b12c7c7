using System.Globalization;
using System.Numerics;
using System.Text.Json;
using OdeGpu.Cli.Output;
using OdeGpu.Device;
using OdeGpu.Gradients;
using OdeGpu.Neural.Training;

namespace OdeGpu.Cli.Commands;

/// <summary>
/// <c>odegpu fit spiral</c>: torchdiffeq's ode_demo (<see cref="SpiralFit{T}"/>). Prints the demo's total loss every
/// <c>--eval-every</c> iterations, draws a progress line, and writes into <c>--out</c>: history.csv as it goes, and at
/// the end (or when interrupted) the checkpoint (<see cref="SpiralCheckpoint"/>), from which <c>--resume</c> continues
/// with the numbers an uninterrupted run would have, and at the end the pictures (<see cref="SpiralPlots"/>).
/// </summary>
internal static class FitCommand
{
    private const string Usage = "usage: odegpu fit spiral [--iterations N] [--adjoint continuous|discrete] [--precision float64|float32] [--device cpu|cuda|opencl] [--seed S] [--eval-every K] [--out DIR] [--resume DIR]";

    /// <summary>Trains; returns 0.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation)
    {
        var line = CommandLine.Parse(args, ["--iterations", "--adjoint", "--precision", "--device", "--seed", "--eval-every", "--out", "--resume"], [], []);
        if (line.Positional is not ["spiral"])
            throw new ArgumentException(Usage, "fit");
        var iterations = line.Int("--iterations") ?? 2000;
        var evalEvery = line.Int("--eval-every") ?? 20;
        if (iterations < 1)
            throw new ArgumentException($"--iterations must be at least 1, but was {iterations}", "--iterations");
        if (evalEvery < 1)
            throw new ArgumentException($"--eval-every must be at least 1, but was {evalEvery}", "--eval-every");
        AdjointMethod adjoint = (line.Value("--adjoint") ?? "discrete") switch
        {
            "discrete" => new DiscreteAdjoint(),
            "continuous" => new ContinuousAdjoint(),
            var other => throw new ArgumentException($"--adjoint must be continuous or discrete, but was '{other}'", "--adjoint"),
        };
        var precision = line.Value("--precision") ?? "float64";
        if (precision is not ("float64" or "float32"))
            throw new ArgumentException($"--precision must be float64 or float32, but was '{precision}'", "--precision");
        var resume = line.Value("--resume");
        if (resume is not null && !Directory.Exists(resume))
            throw new ArgumentException($"--resume must name a checkpoint directory, but '{resume}' is none", "--resume");
        var directory = line.Value("--out") ?? resume ?? "spiral-fit";
        if (File.Exists(directory))
            throw new ArgumentException($"--out must name a directory, but '{directory}' is a file", "--out");
        var kind = line.Value("--device") is { } d ? DeviceCatalog.Parse(d, "--device") : (DeviceKind?)null;
        var seed = line.Int("--seed") ?? (resume is null ? 0 : SeedOf(resume));
        var run = new Run(iterations, evalEvery, adjoint, seed, directory, resume, output, error, interactive);
        return Task.FromResult(precision == "float64" ? run.Fit<double>(kind, 1e-7, 1e-9, cancellation) : run.Fit<float>(kind, 1e-5, 1e-7, cancellation));
    }

    /// <summary>The seed a checkpoint's run used (its training.json), so that --resume needs no --seed.</summary>
    /// <exception cref="ArgumentException">training.json holds no seed.</exception>
    public static int SeedOf(string checkpoint)
    {
        var path = Path.Combine(checkpoint, "training.json");
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))?["seed"]?.GetValue<int>() ?? throw new InvalidDataException("no seed");
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or InvalidDataException)
        {
            throw new ArgumentException($"--resume: '{path}' does not hold the run's seed ({e.Message})", "--resume");
        }
    }

    private sealed record Run(int Iterations, int EvalEvery, AdjointMethod Adjoint, int Seed, string Directory, string? Resume, TextWriter Output, TextWriter Error, bool Interactive)
    {
        public int Fit<T>(DeviceKind? kind, double rtol, double atol, CancellationToken cancellation) where T : unmanaged, IFloatingPointIeee754<T>
        {
            System.IO.Directory.CreateDirectory(Directory);
            using var device = OdeDevice.Open(kind);
            var data = SpiralData.Generate(device);
            using var fit = new SpiralFit<T>(device, data, Adjoint, rtol, atol, Seed);
            var done = 0;
            try
            {
                done = Resume is null ? 0 : SpiralCheckpoint.Load(Resume, fit);
            }
            catch (InvalidDataException e)
            {
                throw new ArgumentException($"--resume: {e.Message}", "--resume", e);
            }
            Output.WriteLine($"odegpu fit spiral on {device.Description}: {Iterations} iterations{(done > 0 ? $" from {done}" : "")}, {typeof(T).Name}, {(Adjoint is DiscreteAdjoint ? "discrete" : "continuous")} adjoint");
            var historyPath = Path.Combine(Directory, "history.csv");
            // a resumed run keeps the rows up to its checkpoint and appends
            var kept = done > 0 && File.Exists(historyPath) ? File.ReadLines(historyPath).Take(done + 1).ToList() : null;
            using var history = new StreamWriter(historyPath);
            foreach (var row in kept ?? ["iteration,loss,nfe_forward,nfe_backward,seconds,eval_loss"])
                history.WriteLine(row);
            var progress = new TrainingProgress(Iterations, Error, Interactive);
            // the rows before a checkpoint, for the loss curve
            var rows = (kept ?? []).Skip(1).Select(Parse).ToList();
            try
            {
                foreach (var row in fit.Run(Iterations, EvalEvery, cancellation))
                {
                    rows.Add(row);
                    history.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{row.Iteration},{row.Loss:R},{row.NfeForward:R},{row.NfeBackward:R},{row.Seconds:R},{(row.EvalLoss is { } e ? e.ToString("R", CultureInfo.InvariantCulture) : "")}"));
                    history.Flush();
                    if (row.EvalLoss is { } total)
                        Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Iter {row.Iteration:D4} | Total Loss {total:F6}"));
                    progress.Report(row.Iteration, string.Create(CultureInfo.InvariantCulture,
                        $"loss {row.Loss:F5}  nfe {row.NfeForward:F0} + {row.NfeBackward:F0}  {row.Seconds * 1e3:F1} ms/it"));
                }
            }
            finally
            {
                progress.Finish();
                SpiralCheckpoint.Save(Directory, fit);
            }
            SpiralPlots.Write(Directory, data, fit.Trajectory(), fit.Field, rows);
            Output.WriteLine($"wrote {historyPath}, the checkpoint (model.safetensors, model.json, optimizer.safetensors, training.json) and trajectories.png, phase.png, loss.png in {Directory}");
            return 0;
        }

        private static HistoryRow Parse(string line)
        {
            var fields = line.Split(',');
            double Number(int k) => double.Parse(fields[k], CultureInfo.InvariantCulture);
            return new HistoryRow((int)Number(0), Number(1), Number(2), Number(3), Number(4), fields[5].Length == 0 ? null : Number(5));
        }
    }
}
