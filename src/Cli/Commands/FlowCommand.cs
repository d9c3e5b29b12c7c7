using System.Globalization;
using System.Numerics;
using System.Text;
using OdeGpu.Cli.Output;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Flows;
using OdeGpu.Flows.Training;
using OdeGpu.Gradients;
using OdeGpu.Neural;
using OdeGpu.Tableaux;

namespace OdeGpu.Cli.Commands;

/// <summary>
/// <c>odegpu flow train|sample|density</c>: FFJORD's toy experiment (<see cref="FlowFit{T}"/>, BENCHMARKS.md's C1
/// defaults), sampling a trained flow into CSV, and its density as a picture. Training prints the test NLL every
/// <c>--test-every</c> iterations under a progress line and writes into <c>--out</c>: history.csv as it goes, and at the
/// end (or when interrupted) the checkpoint (<see cref="FlowCheckpoint"/>), from which <c>--resume</c> continues, and
/// the pictures (<see cref="FlowPlots"/>).
/// </summary>
internal static class FlowCommand
{
    private const string Usage = "usage: odegpu flow train [--data NAME] [--iterations N] [--out DIR] [options] | flow sample --model DIR --count N --out FILE.csv | flow density --model DIR --out FILE.png";

    /// <summary>Runs the subcommand; returns 0.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation) =>
        args.Count == 0 ? throw new ArgumentException(Usage, "flow") : args[0] switch
        {
            "train" => Task.FromResult(Train(args.Skip(1).ToList(), output, error, interactive, cancellation)),
            "sample" => Task.FromResult(Sample(args.Skip(1).ToList(), output)),
            "density" => Task.FromResult(Density(args.Skip(1).ToList(), output)),
            _ => throw new ArgumentException($"unknown flow command '{args[0]}': {Usage}", "flow"),
        };

    private static int Train(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation)
    {
        var line = CommandLine.Parse(args, ["--data", "--iterations", "--out", "--adjoint", "--precision", "--device", "--seed", "--test-every", "--batch",
            "--test-batch", "--tolerance", "--lr", "--weight-decay", "--hidden", "--blocks", "--time", "--trace", "--activation", "--layer", "--kinetic",
            "--frobenius", "--resume"], [], ["--fixed-time"]);
        if (line.Positional.Count > 0)
            throw new ArgumentException($"flow train takes no positional arguments, but was given '{line.Positional[0]}'", "flow");
        var resume = line.Value("--resume");
        FlowModel? resumed = null;
        if (resume is not null)
            resumed = Checkpoint(resume, "--resume");
        var data = line.Value("--data") ?? resumed?.Data ?? "8gaussians";
        if (!ToyData.Names.Contains(data))
            throw new ArgumentException($"--data must be one of {string.Join(", ", ToyData.Names)}, but was '{data}'", "--data");
        var iterations = Positive(line.Int("--iterations") ?? 1400, "--iterations");
        var testEvery = Positive(line.Int("--test-every") ?? 100, "--test-every");
        var batch = Positive(line.Int("--batch") ?? 100, "--batch");
        var testBatch = Positive(line.Int("--test-batch") ?? 1000, "--test-batch");
        var tolerance = line.Double("--tolerance") ?? resumed?.Tolerance ?? 1e-5;
        if (!(tolerance > 0 && tolerance < 1))
            throw new ArgumentException($"--tolerance must be in (0, 1), but was {tolerance}", "--tolerance");
        var learningRate = line.Double("--lr") ?? 1e-3;
        var weightDecay = line.Double("--weight-decay") ?? 1e-5;
        AdjointMethod adjoint = (line.Value("--adjoint") ?? "continuous") switch
        {
            "continuous" => new ContinuousAdjoint(),
            "discrete" => new DiscreteAdjoint(),
            var other => throw new ArgumentException($"--adjoint must be continuous or discrete, but was '{other}'", "--adjoint"),
        };
        var precision = line.Value("--precision") ?? resumed?.Precision ?? "float32";
        if (precision is not ("float64" or "float32"))
            throw new ArgumentException($"--precision must be float32 or float64, but was '{precision}'", "--precision");
        var architecture = resumed?.Architecture ?? Architecture(line);
        var directory = line.Value("--out") ?? resume ?? $"flow-{data}";
        if (File.Exists(directory))
            throw new ArgumentException($"--out must name a directory, but '{directory}' is a file", "--out");
        var kind = line.Value("--device") is { } d ? DeviceCatalog.Parse(d, "--device") : (DeviceKind?)null;
        var seed = line.Int("--seed") ?? (resume is null ? 0 : FitCommand.SeedOf(resume));
        var run = new TrainRun(architecture, data, iterations, testEvery, batch, testBatch, tolerance, learningRate, weightDecay, adjoint, seed, directory, resume,
            output, error, interactive);
        return precision == "float64" ? run.Fit<double>(kind, cancellation) : run.Fit<float>(kind, cancellation);
    }

    // The flow the options describe (FFJORD's toy defaults where silent).
    private static FlowArchitecture Architecture(CommandLine line)
    {
        var hidden = line.Value("--hidden") is { } h
            ? h.Split('-').Select(w => int.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw new ArgumentException($"--hidden must be positive widths joined by '-' (as 64-64-64), but was '{h}'", "--hidden")).ToArray()
            : null;
        var layer = (line.Value("--layer") ?? "concatsquash") switch
        {
            "concatsquash" => MlpLayer.ConcatSquash,
            "concat" => MlpLayer.ConcatLinear,
            "linear" => MlpLayer.Linear,
            var other => throw new ArgumentException($"--layer must be concatsquash, concat or linear, but was '{other}'", "--layer"),
        };
        var trace = (line.Value("--trace") ?? "exact") switch
        {
            "exact" => TraceEstimator.Exact,
            "rademacher" => TraceEstimator.Rademacher,
            "gaussian" => TraceEstimator.Gaussian,
            var other => throw new ArgumentException($"--trace must be exact, rademacher or gaussian, but was '{other}'", "--trace"),
        };
        var activation = line.Value("--activation") ?? "tanh";
        if (!FlowActivations.Names.Contains(activation))
            throw new ArgumentException($"--activation must be one of {string.Join(", ", FlowActivations.Names)}, but was '{activation}'", "--activation");
        var time = line.Double("--time") ?? 0.5;
        if (!(time > 0) || double.IsInfinity(time))
            throw new ArgumentException($"--time must be positive and finite, but was {time}", "--time");
        var kinetic = line.Double("--kinetic") ?? 0;
        var frobenius = line.Double("--frobenius") ?? 0;
        if (!(kinetic >= 0))
            throw new ArgumentException($"--kinetic must be a non-negative weight, but was {kinetic}", "--kinetic");
        if (!(frobenius >= 0))
            throw new ArgumentException($"--frobenius must be a non-negative weight, but was {frobenius}", "--frobenius");
        return new FlowArchitecture(2, hidden, layer, activation, Positive(line.Int("--blocks") ?? 1, "--blocks"), time, !line.Has("--fixed-time"), trace, kinetic,
            frobenius).Validated();
    }

    private static int Sample(IReadOnlyList<string> args, TextWriter output)
    {
        var line = CommandLine.Parse(args, ["--model", "--count", "--out", "--seed", "--device"], [], []);
        var model = Checkpoint(line.Value("--model") ?? throw new ArgumentException("flow sample needs --model DIR, a checkpoint of flow train", "--model"), "--model");
        var count = Positive(line.Int("--count") ?? 1000, "--count");
        var path = line.Value("--out") ?? throw new ArgumentException("flow sample needs --out FILE.csv", "--out");
        var kind = line.Value("--device") is { } d ? DeviceCatalog.Parse(d, "--device") : (DeviceKind?)null;
        using var device = OdeDevice.Open(kind);
        var z = Gaussians(count, model.Architecture.Dimension, new Random(line.Int("--seed") ?? 0));
        var samples = model.Precision == "float64" ? Trained<double>(device, model, count, flow => flow.Sample(z)) : Trained<float>(device, model, count, flow => flow.Sample(z));
        var text = new StringBuilder("sample,status,log_density," + string.Join(",", Coordinates(model.Architecture.Dimension)) + "\n");
        for (var r = 0; r < count; r++)
            text.Append(CultureInfo.InvariantCulture, $"{r},{samples.Status[r]},{samples.LogDensity[r]:R},")
                .AppendJoin(',', Enumerable.Range(0, model.Architecture.Dimension).Select(k => samples.Data[r, k].ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        AtomicFile.WriteAsync(path, stream => stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString())).AsTask()).GetAwaiter().GetResult();
        var failed = samples.Status.Count(s => s != TrajectoryStatus.Success);
        output.WriteLine($"odegpu flow sample on {device.Description}: wrote {count} samples of {model.Data}'s flow to {path}{(failed > 0 ? $" ({failed} failed, status column)" : "")}");
        return 0;
    }

    private static int Density(IReadOnlyList<string> args, TextWriter output)
    {
        var line = CommandLine.Parse(args, ["--model", "--out", "--grid", "--range", "--device"], [], []);
        var model = Checkpoint(line.Value("--model") ?? throw new ArgumentException("flow density needs --model DIR, a checkpoint of flow train", "--model"), "--model");
        if (model.Architecture.Dimension != 2)
            throw new ArgumentException($"flow density draws two-dimensional flows, but this one has {model.Architecture.Dimension} dimensions", "--model");
        var path = line.Value("--out") ?? throw new ArgumentException("flow density needs --out FILE.png", "--out");
        var grid = line.Int("--grid") ?? 200;
        if (grid < 2 || grid > 2000)
            throw new ArgumentException($"--grid must be between 2 and 2000 points a side, but was {grid}", "--grid");
        var range = line.DoubleList("--range") ?? [-4, 4];
        if (range.Length != 2 || !(range[0] < range[1]) || range.Any(double.IsInfinity))
            throw new ArgumentException($"--range must be LO,HI with LO < HI, but was '{line.Value("--range")}'", "--range");
        var kind = line.Value("--device") is { } d ? DeviceCatalog.Parse(d, "--device") : (DeviceKind?)null;
        using var device = OdeDevice.Open(kind);
        var density = DensityGrid(device, model, grid, range[0], range[1]);
        FlowPlots.WriteDensity(path, density, range[0], range[1], $"learned density of {model.Data}");
        output.WriteLine($"odegpu flow density on {device.Description}: wrote {path} ({grid} x {grid} points over [{range[0]}, {range[1]}]^2)");
        return 0;
    }

    /// <summary>p(x) on a grid of n x n cell centres over [lo, hi]^2, [row = y, column = x].</summary>
    public static double[,] DensityGrid(OdeDevice device, FlowModel model, int n, double lo, double hi)
    {
        var points = new double[n * n, 2];
        var step = (hi - lo) / n;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                (points[i * n + j, 0], points[i * n + j, 1]) = (lo + (j + 0.5) * step, lo + (i + 0.5) * step);
        var pass = model.Precision == "float64" ? Trained<double>(device, model, n * n, flow => flow.Density(points)) : Trained<float>(device, model, n * n, flow => flow.Density(points));
        var density = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                density[i, j] = Math.Exp(pass.LogDensity[i * n + j]);
        return density;
    }

    private static FlowPass Trained<T>(OdeDevice device, FlowModel model, int rows, Func<ContinuousFlow<T>, FlowPass> pass) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var options = new SolveOptions { Method = Methods.Dopri5, Controller = new IntegralController(model.Tolerance, model.Tolerance) };
        using var flow = new ContinuousFlow<T>(device, model.Architecture with { Kinetic = 0, Frobenius = 0 }, rows, [.. model.Parameters.Select(T.CreateTruncating)], options);
        return pass(flow);
    }

    private static double[,] Gaussians(int count, int dimension, Random random)
    {
        var z = new double[count, dimension];
        for (var r = 0; r < count; r++)
            for (var k = 0; k < dimension; k++)
                z[r, k] = Gaussian.Next(random);
        return z;
    }

    private static IEnumerable<string> Coordinates(int dimension) => dimension == 2 ? ["x", "y"] : Enumerable.Range(0, dimension).Select(k => $"x{k}");

    private static FlowModel Checkpoint(string directory, string option)
    {
        if (!Directory.Exists(directory))
            throw new ArgumentException($"{option} must name a checkpoint directory of flow train, but '{directory}' is none", option);
        try
        {
            return FlowCheckpoint.LoadModel(directory);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"{option}: {e.Message}", option, e);
        }
    }

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new ArgumentException($"{option} must be at least 1, but was {value}", option);

    private sealed record TrainRun(FlowArchitecture Architecture, string Data, int Iterations, int TestEvery, int Batch, int TestBatch, double Tolerance,
        double LearningRate, double WeightDecay, AdjointMethod Adjoint, int Seed, string Directory, string? Resume, TextWriter Output, TextWriter Error,
        bool Interactive)
    {
        private const string Header = "iteration,loss,nll,kinetic,frobenius,nfe_forward,nfe_backward,end_time,seconds,test_nll,failed";

        public int Fit<T>(DeviceKind? kind, CancellationToken cancellation) where T : unmanaged, IFloatingPointIeee754<T>
        {
            System.IO.Directory.CreateDirectory(Directory);
            using var device = OdeDevice.Open(kind);
            using var fit = new FlowFit<T>(device, Architecture, Data, Adjoint, Seed, Batch, TestBatch, Tolerance, LearningRate, WeightDecay);
            int done;
            try
            {
                done = Resume is null ? 0 : FlowCheckpoint.Load(Resume, fit);
            }
            catch (InvalidDataException e)
            {
                throw new ArgumentException($"--resume: {e.Message}", "--resume", e);
            }
            Output.WriteLine($"odegpu flow train on {device.Description}: {Data}, {Iterations} iterations{(done > 0 ? $" from {done}" : "")}, {typeof(T).Name}, "
                + $"{Architecture.ParameterCount} parameters, {Architecture.Trace} trace, {(Adjoint is DiscreteAdjoint ? "discrete" : "continuous")} adjoint");
            var historyPath = Path.Combine(Directory, "history.csv");
            var kept = done > 0 && File.Exists(historyPath) ? File.ReadLines(historyPath).Take(done + 1).ToList() : null;
            var rows = (kept ?? []).Skip(1).Select(Parse).ToList();
            var progress = new TrainingProgress(Iterations, Error, Interactive);
            using (var history = new StreamWriter(historyPath))
            {
                foreach (var row in kept ?? [Header])
                    history.WriteLine(row);
                try
                {
                    foreach (var row in fit.Run(Iterations, TestEvery, cancellation))
                    {
                        rows.Add(row);
                        history.WriteLine(Format(row));
                        history.Flush();
                        if (row.TestNll is { } test)
                            Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"Iter {row.Iteration:D4} | Test NLL {test:F4} nats | train NLL {row.NegativeLogLikelihood:F4} | NFE {row.NfeForward:F0} + {row.NfeBackward:F0} | T {row.EndTime:F4}"));
                        if (row.Failed > 0)
                            Error.WriteLine($"odegpu: iteration {row.Iteration}: {row.Failed} rows failed to solve; the step was skipped");
                        progress.Report(row.Iteration, string.Create(CultureInfo.InvariantCulture,
                            $"loss {row.Loss:F4}  nfe {row.NfeForward:F0} + {row.NfeBackward:F0}  {row.Seconds * 1e3:F1} ms/it"));
                    }
                }
                finally
                {
                    progress.Finish();
                    FlowCheckpoint.Save(Directory, fit);
                }
            }
            var model = FlowCheckpoint.LoadModel(Directory);
            FlowPlots.Write(Directory, ToyData.Sample(Data, 2000, new Random(Seed)), SampleOf<T>(fit, 2000), DensityGrid(device, model, 200, -4, 4), rows);
            Output.WriteLine($"wrote {historyPath}, the checkpoint (model.safetensors, model.json, optimizer.safetensors, training.json) and data.png, samples.png, density.png, loss.png in {Directory}");
            return 0;
        }

        private double[,] SampleOf<T>(FlowFit<T> fit, int count) where T : unmanaged, IFloatingPointIeee754<T>
        {
            using var flow = fit.Copy(count);
            return flow.Sample(Gaussians(count, Architecture.Dimension, new Random(Seed + 1))).Data;
        }

        private static string Format(FlowHistoryRow row) => string.Create(CultureInfo.InvariantCulture,
            $"{row.Iteration},{row.Loss:R},{row.NegativeLogLikelihood:R},{row.Kinetic:R},{row.Frobenius:R},{row.NfeForward:R},{row.NfeBackward:R},{row.EndTime:R},{row.Seconds:R},{(row.TestNll is { } t ? t.ToString("R", CultureInfo.InvariantCulture) : "")},{row.Failed}");

        private static FlowHistoryRow Parse(string line)
        {
            var f = line.Split(',');
            double N(int k) => double.Parse(f[k], CultureInfo.InvariantCulture);
            return new FlowHistoryRow((int)N(0), N(1), N(2), N(3), N(4), N(5), N(6), N(7), N(8), f[9].Length == 0 ? null : N(9), (int)N(10));
        }
    }
}
