using System.Diagnostics;
using System.Numerics;
using OdeGpu.Batched;
using OdeGpu.Cli.Output;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Cli.Commands;

/// <summary><c>odegpu solve</c>: one built-in system over many trajectories, written to CSV, Parquet or the console.</summary>
internal static class SolveCommand
{
    /// <summary>Parses, solves and writes; returns the exit code (0 when every trajectory succeeded, 1 otherwise).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled; no output file is left behind.</exception>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation)
    {
        var line = CommandLine.Parse(args, SolveRequest.Valued, SolveRequest.Repeatable, SolveRequest.Flags);
        var request = SolveRequest.Parse(line);
        if (request.Warning is { } warning)
            error.WriteLine($"odegpu: {warning}");
        using var device = OdeDevice.Open(request.Device);
        return request.Precision == "float32"
            ? await RunAsync<float>(request, device, output, error, interactive, cancellation)
            : await RunAsync<double>(request, device, output, error, interactive, cancellation);
    }

    private static async Task<int> RunAsync<T>(SolveRequest request, OdeDevice device, TextWriter output, TextWriter error, bool interactive,
        CancellationToken cancellation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var clock = Stopwatch.StartNew();
        var dim = request.Y0.Length;
        var (y0, parameters) = Inputs<T>(request);
        var progress = new ConsoleProgress(error, interactive);
        var options = request.Options with { Progress = progress, Cancellation = cancellation };
        var columns = Enumerable.Range(0, dim).Select(d => $"y{d}").ToArray();
        var summary = new SolveSummary<T>();
        try
        {
            var chunks = summary.Track(request.Mode == "ensemble"
                ? request.System.SolveEnsemble(device, y0, parameters, request.Times, options, request.Ensemble)
                : SolveBatched(request, device, y0, parameters, options));
            if (request.OutPath is null)
            {
                foreach (var _ in chunks)
                {
                    // only the summary is kept
                }
            }
            else if (request.OutPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
                await SolutionParquet.WriteAsync(request.OutPath, chunks, columns, cancellation);
            else
                await SolutionCsv.WriteAsync(request.OutPath, chunks, columns, cancellation);
        }
        finally
        {
            progress.Finish();
        }
        if (request.StatsPath is { } stats)
            await SolveStatsJson.WriteAsync(stats, summary, request.System.Name, device.Description, clock.Elapsed, request.Options, request.Mode);

        var s = summary.Statistics;
        var failed = summary.Status.Count(x => x != TrajectoryStatus.Success);
        output.WriteLine($"{request.System.Name}: {request.Trajectories} trajectories, {request.Options.Method.Name}, {PrecisionOf.Name<T>()}, {request.Mode} mode on {device.Description}{(summary.Simd is { } simd ? $", {simd}" : "")}");
        output.WriteLine($"solve {summary.Wall.TotalSeconds:F3} s (wall {clock.Elapsed.TotalSeconds:F3} s), {s.TotalEvaluations} evaluations, {s.TotalAccepted} accepted and {s.TotalRejected} rejected steps, {failed} failed");
        if (request.OutPath is null)
            SolutionTable.Print(output, summary.Final, request.Trajectories, columns);
        else
            output.WriteLine($"wrote {request.OutPath}");
        if (request.StatsPath is not null)
            output.WriteLine($"wrote {request.StatsPath}");
        return failed == 0 ? 0 : 1;
    }

    private static IEnumerable<Solution<T>> SolveBatched<T>(SolveRequest request, OdeDevice device, T[,] y0, T[,] parameters, SolveOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dynamics = request.System.Create(device, parameters, y0.GetLength(1));
        try
        {
            yield return BatchedSolver.Solve(dynamics, y0, request.Times, options);
        }
        finally
        {
            (dynamics as IDisposable)?.Dispose();
        }
    }

    /// <summary>Every trajectory's initial state and parameters in the state's precision, [trajectories, dim] and [trajectories, parameters].</summary>
    public static (T[,] Y0, T[,] Parameters) Inputs<T>(SolveRequest request) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = request.Trajectories;
        var y0 = new T[rows, request.Y0.Length];
        var parameters = new T[rows, request.System.Parameters.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var d = 0; d < request.Y0.Length; d++)
                y0[r, d] = T.CreateTruncating(request.Y0[d]);
            for (var p = 0; p < parameters.GetLength(1); p++)
                parameters[r, p] = T.CreateTruncating(request.Parameters[r, p]);
        }
        return (y0, parameters);
    }
}
