using System.Numerics;
using System.Text.Json;
using OdeGpu.Batched;
using OdeGpu.Precision;

namespace OdeGpu.Cli.Output;

/// <summary>The <c>--stats</c> file: what ran, how long it took, and the work and status of every trajectory.</summary>
internal static class SolveStatsJson
{
    /// <summary>Writes the statistics of <paramref name="solution"/>.</summary>
    public static Task WriteAsync<T>(string path, Solution<T> solution, string mode, string system, SolveOptions options)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AtomicFile.WriteAsync(path, stream =>
        {
            var s = solution.Statistics;
            var document = new Dictionary<string, object?>
            {
                ["system"] = system,
                ["device"] = solution.Device,
                ["method"] = solution.Method.Name,
                ["precision"] = PrecisionOf.Name<T>(),
                ["mode"] = mode,
                ["shared_step"] = options.SharedStep,
                ["trajectories"] = solution.Rows,
                ["dimension"] = solution.Dimension,
                ["output_times"] = solution.Times.Length,
                ["wall_seconds"] = solution.Wall.TotalSeconds,
                ["host_iterations"] = s.HostIterations,
                ["nfe_total"] = s.TotalEvaluations,
                ["accepted_total"] = s.TotalAccepted,
                ["rejected_total"] = s.TotalRejected,
                ["status_counts"] = solution.Status.GroupBy(x => x).ToDictionary(g => g.Key.ToString(), g => g.Count()),
                ["status"] = solution.Status.Select(x => x.ToString()).ToArray(),
                ["nfe"] = s.Evaluations,
                ["accepted"] = s.AcceptedSteps,
                ["rejected"] = s.RejectedSteps,
            };
            return JsonSerializer.SerializeAsync(stream, document, new JsonSerializerOptions { WriteIndented = true });
        });
}
