using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using OdeGpu.Adjoint;
using OdeGpu.BuiltIn;
using OdeGpu.Cli.Output;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.Gradients;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Cli.Commands;

/// <summary>
/// <c>odegpu gradient</c>: the solve arguments of <c>odegpu solve</c>, a loss of the states at the output times after
/// the first, and its gradients with respect to each trajectory's initial state, parameters, t0 and t1.
/// </summary>
internal static class GradientCommand
{
    private static readonly string[] Valued = [.. SolveRequest.Valued, "--loss", "--adjoint", "--adjoint-rtol", "--adjoint-atol", "--checkpoint-every"];

    private static readonly string[] Flags = [.. SolveRequest.Flags, "--seminorm"];

    /// <summary>Parses, differentiates and writes; returns 0 when every trajectory succeeded, 1 otherwise.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation)
    {
        var line = CommandLine.Parse(args, Valued, SolveRequest.Repeatable, Flags);
        var request = SolveRequest.Parse(line);
        if (request.Warning is { } warning)
            error.WriteLine($"odegpu: {warning}");
        var loss = line.Value("--loss") ?? "squares";
        if (loss != "squares")
            throw new ArgumentException($"--loss must be squares (the sum over the output times after the first of |y(t)|^2), but was '{loss}'", "--loss");
        if (request.Times.Length < 2)
            throw new ArgumentException("--times needs at least t0 and t1 for a gradient", "--times");
        var options = request.Options with { Adjoint = Adjoint(line, request.Options) };
        if (request.Mode == "ensemble" && options.Adjoint is DiscreteAdjoint { CheckpointEvery: not null })
            throw new ArgumentException("--checkpoint-every is the batched mode's (the ensemble mode records every step per trajectory); add --mode batched", "--checkpoint-every");
        using var device = OdeDevice.Open(request.Device);
        return request.Precision == "float32"
            ? await RunAsync<float>(request, options, device, output, error, interactive, cancellation)
            : await RunAsync<double>(request, options, device, output, error, interactive, cancellation);
    }

    private static AdjointMethod Adjoint(CommandLine line, SolveOptions forward)
    {
        var kind = line.Value("--adjoint") ?? "continuous";
        var rtol = line.Double("--adjoint-rtol");
        var atol = line.DoubleList("--adjoint-atol");
        var every = line.Int("--checkpoint-every");
        if (kind == "discrete")
        {
            if (line.Has("--seminorm") || rtol is not null || atol is not null)
                throw new ArgumentException("--seminorm, --adjoint-rtol and --adjoint-atol set the continuous adjoint's backward solve; the discrete adjoint replays the forward steps", "--adjoint");
            if (every is < 1)
                throw new ArgumentException($"--checkpoint-every must be at least 1 step, but was {every}", "--checkpoint-every");
            return new DiscreteAdjoint { CheckpointEvery = every };
        }
        if (every is not null)
            throw new ArgumentException("--checkpoint-every sets the discrete adjoint's record (--adjoint discrete); the continuous adjoint records nothing", "--checkpoint-every");
        if (kind != "continuous")
            throw new ArgumentException($"--adjoint must be continuous or discrete, but was '{kind}'", "--adjoint");
        if ((rtol is not null || atol is not null) && forward.Controller is not AdaptiveController)
            throw new ArgumentException("--adjoint-rtol and --adjoint-atol need an adaptive forward solve (no --dt)", "--adjoint-rtol");
        var adaptive = forward.Controller as AdaptiveController;
        return new ContinuousAdjoint
        {
            Seminorm = line.Has("--seminorm"),
            Controller = adaptive is null || (rtol is null && atol is null)
                ? null
                : adaptive is IntegralController
                    ? new IntegralController(rtol ?? adaptive.Rtol, atol ?? adaptive.Atol)
                    : new PIController(rtol ?? adaptive.Rtol, atol ?? adaptive.Atol),
        };
    }

    private static async Task<int> RunAsync<T>(SolveRequest request, SolveOptions options, OdeDevice device, TextWriter output, TextWriter error,
        bool interactive, CancellationToken cancellation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var clock = Stopwatch.StartNew();
        var rows = request.Trajectories;
        var (y0, parameters) = SolveCommand.Inputs<T>(request);
        var progress = new ConsoleProgress(error, interactive);
        device.ResetPeak();
        LossGradient<T> result;
        try
        {
            var solve = options with { Progress = progress, Cancellation = cancellation };
            result = request.Mode == "ensemble"
                ? request.System.Dispatch(y0.GetLength(1), new FusedGradient<T>(device, y0, parameters, request.Times, solve, request.Ensemble))
                : Batched(request, device, y0, parameters, solve);
        }
        finally
        {
            progress.Finish();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var forward = result.Gradient.Forward.Statistics.TotalEvaluations;
        var backward = result.Gradient.Backward.TotalEvaluations;
        var failed = result.Gradient.Status.Count(s => s != TrajectoryStatus.Success);
        if (request.OutPath is { } path)
            await GradientTable.WriteAsync(path, result, request.System.Parameters, cancellation);
        if (request.StatsPath is { } stats)
            await AtomicFile.WriteAsync(stats, stream => JsonSerializer.SerializeAsync(stream, new Dictionary<string, object>
            {
                ["system"] = request.System.Name,
                ["device"] = device.Description,
                ["method"] = options.Method.Name,
                ["precision"] = PrecisionOf.Name<T>(),
                ["adjoint"] = options.Adjoint is DiscreteAdjoint ? "discrete" : "continuous",
                ["mode"] = request.Mode,
                ["trajectories"] = rows,
                ["nfe_forward"] = forward,
                ["nfe_backward"] = backward,
                ["seconds"] = seconds,
                ["peak_device_bytes"] = device.PeakBytes,
                ["failed"] = failed,
            }, new JsonSerializerOptions { WriteIndented = true }));
        output.WriteLine($"{request.System.Name}: gradient of the sum of squares over {rows} trajectories, {options.Method.Name}, {PrecisionOf.Name<T>()}, "
            + $"{(options.Adjoint is DiscreteAdjoint ? "discrete" : "continuous")} adjoint, {request.Mode} mode on {device.Description}");
        output.WriteLine($"{seconds:F3} s, {forward} forward and {backward} backward evaluations, peak device memory {device.PeakBytes} bytes, {failed} failed");
        if (request.OutPath is null)
            Print(output, result, request.System.Parameters);
        else
            output.WriteLine($"wrote {request.OutPath}");
        if (request.StatsPath is not null)
            output.WriteLine($"wrote {request.StatsPath}");
        return failed == 0 ? 0 : 1;
    }

    private static LossGradient<T> Batched<T>(SolveRequest request, OdeDevice device, T[,] y0, T[,] parameters, SolveOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dynamics = request.System.Dispatch(y0.GetLength(1), new Differentiable<T>(device, parameters));
        try
        {
            return Ode.Gradient(dynamics, y0, request.Times[0], request.Times[^1], new SumOfSquares<T>(), options with { SaveAt = SaveAt.Times(request.Times[1..]) });
        }
        finally
        {
            (dynamics as IDisposable)?.Dispose();
        }
    }

    // The first rows: loss, dL/dy0 and dL/dp.
    private static void Print<T>(TextWriter output, LossGradient<T> result, IReadOnlyList<string> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = result.Gradient;
        var dim = g.InitialState.GetLength(1);
        output.WriteLine(string.Join('\t', ["trajectory", "loss", .. Enumerable.Range(0, dim).Select(d => $"d_y{d}"), .. parameters.Select(p => $"d_{p}")]));
        for (var r = 0; r < Math.Min(result.Loss.Length, 10); r++)
            output.WriteLine(string.Join('\t', [r.ToString(CultureInfo.InvariantCulture), Format(result.Loss[r]),
                .. Enumerable.Range(0, dim).Select(d => Format(g.InitialState[r, d])), .. Enumerable.Range(0, parameters.Count).Select(p => Format(g.Parameters[r, p]))]));
        if (result.Loss.Length > 10)
            output.WriteLine($"... {result.Loss.Length - 10} more (use --out FILE.csv)");
    }

    private static string Format<T>(T value) where T : IFloatingPointIeee754<T> => double.CreateTruncating(value).ToString("G8", CultureInfo.InvariantCulture);

    private sealed class FusedGradient<T>(OdeDevice device, T[,] y0, T[,] parameters, double[] times, SolveOptions options, EnsembleOptions ensemble)
        : BuiltInSystem.ISystemAction<T, LossGradient<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public LossGradient<T> Run<TState, TSystem>()
            where TState : unmanaged, IStateVector<TState, T>
            where TSystem : struct, IOdeSystem<T, TState> =>
            EnsembleGradient.Of(device, default(TSystem), StateRows.ToStates<T, TState>(y0), parameters, times, new SumOfSquares<T>(), options, ensemble);
    }

    private sealed class Differentiable<T>(OdeDevice device, T[,] parameters) : BuiltInSystem.ISystemAction<T, IDifferentiableDynamics<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public IDifferentiableDynamics<T> Run<TState, TSystem>()
            where TState : unmanaged, IStateVector<TState, T>
            where TSystem : struct, IOdeSystem<T, TState> =>
            new DifferentiableSystem<T, TState, TSystem>(device, default, parameters);
    }
}
