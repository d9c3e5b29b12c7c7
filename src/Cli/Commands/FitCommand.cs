using System.Globalization;
using System.Numerics;
using System.Text.Json;
using OdeGpu.Cli.Output;
using OdeGpu.Device;
using OdeGpu.Gradients;
using OdeGpu.Neural;
using OdeGpu.Neural.Checkpoints;
using OdeGpu.Neural.Training;

namespace OdeGpu.Cli.Commands;

/// <summary>
/// <c>odegpu fit spiral</c>: torchdiffeq's ode_demo (<see cref="SpiralFit{T}"/>). Prints the demo's total loss every
/// <c>--eval-every</c> iterations, draws a progress line, and writes into <c>--out</c>: history.csv as it goes, and at
/// the end (or when interrupted) the weights as model.safetensors under PyTorch's names and the architecture as
/// model.json.
/// </summary>
internal static class FitCommand
{
    private const string Usage = "usage: odegpu fit spiral [--iterations N] [--adjoint continuous|discrete] [--precision float64|float32] [--device cpu|cuda|opencl] [--seed S] [--eval-every K] [--out DIR]";

    /// <summary>Trains; returns 0.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation)
    {
        var line = CommandLine.Parse(args, ["--iterations", "--adjoint", "--precision", "--device", "--seed", "--eval-every", "--out"], [], []);
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
        var directory = line.Value("--out") ?? "spiral-fit";
        if (File.Exists(directory))
            throw new ArgumentException($"--out must name a directory, but '{directory}' is a file", "--out");
        var kind = line.Value("--device") is { } d ? DeviceCatalog.Parse(d, "--device") : (DeviceKind?)null;
        var run = new Run(iterations, evalEvery, adjoint, line.Int("--seed") ?? 0, directory, output, error, interactive);
        return Task.FromResult(precision == "float64" ? run.Fit<double>(kind, 1e-7, 1e-9, cancellation) : run.Fit<float>(kind, 1e-5, 1e-7, cancellation));
    }

    private sealed record Run(int Iterations, int EvalEvery, AdjointMethod Adjoint, int Seed, string Directory, TextWriter Output, TextWriter Error, bool Interactive)
    {
        public int Fit<T>(DeviceKind? kind, double rtol, double atol, CancellationToken cancellation) where T : unmanaged, IFloatingPointIeee754<T>
        {
            System.IO.Directory.CreateDirectory(Directory);
            using var device = OdeDevice.Open(kind);
            var data = SpiralData.Generate(device);
            using var fit = new SpiralFit<T>(device, data, Adjoint, rtol, atol, Seed);
            Output.WriteLine($"odegpu fit spiral on {device.Description}: {Iterations} iterations, {typeof(T).Name}, {(Adjoint is DiscreteAdjoint ? "discrete" : "continuous")} adjoint");
            using var history = new StreamWriter(Path.Combine(Directory, "history.csv"));
            history.WriteLine("iteration,loss,nfe_forward,nfe_backward,seconds,eval_loss");
            var started = DateTime.UtcNow;
            var lastDrawn = DateTime.MinValue;
            try
            {
                foreach (var row in fit.Run(Iterations, EvalEvery, cancellation))
                {
                    history.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{row.Iteration},{row.Loss:R},{row.NfeForward:R},{row.NfeBackward:R},{row.Seconds:R},{(row.EvalLoss is { } e ? e.ToString("R", CultureInfo.InvariantCulture) : "")}"));
                    history.Flush();
                    if (row.EvalLoss is { } total)
                        Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Iter {row.Iteration:D4} | Total Loss {total:F6}"));
                    if (DateTime.UtcNow - lastDrawn > TimeSpan.FromSeconds(Interactive ? 0.2 : 5))
                    {
                        lastDrawn = DateTime.UtcNow;
                        Progress(row, started);
                    }
                }
            }
            finally
            {
                if (Interactive && lastDrawn != DateTime.MinValue)
                    Error.WriteLine();
                Save(fit.Parameters, typeof(T) == typeof(double) ? "float64" : "float32");
            }
            Output.WriteLine($"wrote {Path.Combine(Directory, "history.csv")}, model.safetensors and model.json");
            return 0;
        }

        private void Progress(HistoryRow row, DateTime started)
        {
            const int width = 30;
            var filled = (int)Math.Round((double)row.Iteration / Iterations * width);
            var text = string.Create(CultureInfo.InvariantCulture,
                $"[{new string('#', filled)}{new string('.', width - filled)}] {row.Iteration}/{Iterations}  loss {row.Loss:F5}  nfe {row.NfeForward:F0} + {row.NfeBackward:F0}  {row.Seconds * 1e3:F1} ms/it  {DateTime.UtcNow - started:m\\:ss}");
            if (Interactive)
                Error.Write("\r" + text);
            else
                Error.WriteLine(text);
        }

        // The weights under PyTorch's names, and the architecture; both atomically.
        private void Save<T>(T[] parameters, string precision) where T : unmanaged, IFloatingPointIeee754<T>
        {
            SafeTensors.Write(Path.Combine(Directory, "model.safetensors"), MlpStateDict.ToTensors(SpiralFit<T>.Widths, MlpLayer.Linear, parameters),
                new Dictionary<string, string> { ["format"] = "pt" });
            var architecture = JsonSerializer.Serialize(new
            {
                model = "mlp", widths = SpiralFit<T>.Widths, layer = "linear", activation = "tanh", input = "cube", precision,
            }, new JsonSerializerOptions { WriteIndented = true });
            AtomicFile.WriteAsync(Path.Combine(Directory, "model.json"), stream => stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(architecture)).AsTask()).GetAwaiter().GetResult();
        }
    }
}
