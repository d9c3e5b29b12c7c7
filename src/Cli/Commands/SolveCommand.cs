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
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive)
    {
        var line = CommandLine.Parse(args, SolveRequest.Valued, SolveRequest.Repeatable, SolveRequest.Flags);
        var request = SolveRequest.Parse(line);
        using var device = OdeDevice.Open(request.Device);
        return request.Precision == "float32"
            ? await RunAsync<float>(request, device, output, error, interactive)
            : await RunAsync<double>(request, device, output, error, interactive);
    }

    private static async Task<int> RunAsync<T>(SolveRequest request, OdeDevice device, TextWriter output, TextWriter error, bool interactive)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = request.Trajectories;
        var dim = request.Y0.Length;
        var y0 = new T[rows, dim];
        var parameters = new T[rows, request.System.Parameters.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var d = 0; d < dim; d++)
                y0[r, d] = T.CreateTruncating(request.Y0[d]);
            for (var p = 0; p < parameters.GetLength(1); p++)
                parameters[r, p] = T.CreateTruncating(request.Parameters[r, p]);
        }
        var progress = new ConsoleProgress(error, interactive);
        var dynamics = request.System.Create(device, parameters, dim);
        Solution<T> solution;
        try
        {
            solution = BatchedSolver.Solve(dynamics, y0, request.Times, request.Options with { Progress = progress });
        }
        finally
        {
            progress.Finish();
            (dynamics as IDisposable)?.Dispose();
        }

        var columns = Enumerable.Range(0, dim).Select(d => $"y{d}").ToArray();
        if (request.OutPath is { } path)
        {
            if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
                await SolutionParquet.WriteAsync(path, solution, columns);
            else
                await SolutionCsv.WriteAsync(path, solution, columns);
        }
        if (request.StatsPath is { } stats)
            await SolveStatsJson.WriteAsync(stats, solution, request.Mode, request.System.Name, request.Options);

        var s = solution.Statistics;
        var failed = solution.Status.Count(x => x != TrajectoryStatus.Success);
        output.WriteLine($"{request.System.Name}: {rows} trajectories, {solution.Method.Name}, {PrecisionOf.Name<T>()}, {request.Mode} mode on {device.Description}");
        output.WriteLine($"wall {solution.Wall.TotalSeconds:F3} s, {s.TotalEvaluations} evaluations, {s.TotalAccepted} accepted and {s.TotalRejected} rejected steps, {failed} failed");
        if (request.OutPath is null)
            SolutionTable.Print(output, solution, columns);
        else
            output.WriteLine($"wrote {request.OutPath}");
        if (request.StatsPath is not null)
            output.WriteLine($"wrote {request.StatsPath}");
        return failed == 0 ? 0 : 1;
    }
}
