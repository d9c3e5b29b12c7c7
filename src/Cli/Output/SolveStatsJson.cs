using System.Numerics;
using System.Text.Json;
using OdeGpu.Precision;

namespace OdeGpu.Cli.Output;

/// <summary>The <c>--stats</c> file: what ran, how long it took, and the work and status of every trajectory.</summary>
internal static class SolveStatsJson
{
    /// <summary>Writes the statistics of a finished solve.</summary>
    public static Task WriteAsync<T>(string path, SolveSummary<T> summary, string system, string device, TimeSpan wall, SolveOptions options, string mode)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AtomicFile.WriteAsync(path, stream =>
        {
            var s = summary.Statistics;
            var document = new Dictionary<string, object?>
            {
                ["system"] = system,
                ["device"] = device,
                ["method"] = options.Method.Name,
                ["precision"] = PrecisionOf.Name<T>(),
                ["mode"] = mode,
                ["simd"] = summary.Simd is { } simd ? simd.Used : null,
                ["simd_lanes"] = summary.Simd?.Lanes,
                ["simd_fallback"] = summary.Simd?.Reason,
                ["simd_wider_bits"] = summary.Simd?.WiderBits,
                ["shared_step"] = options.SharedStep,
                ["trajectories"] = summary.Status.Count,
                ["dimension"] = summary.Dimension,
                ["output_times"] = summary.OutputTimes,
                ["wall_seconds"] = wall.TotalSeconds,
                ["solve_seconds"] = summary.Wall.TotalSeconds,
                ["kernel_seconds"] = summary.Compute.TotalSeconds,
                ["host_iterations"] = s.HostIterations,
                ["nfe_total"] = s.TotalEvaluations,
                ["accepted_total"] = s.TotalAccepted,
                ["rejected_total"] = s.TotalRejected,
                ["status_counts"] = summary.Status.GroupBy(x => x).ToDictionary(g => g.Key.ToString(), g => g.Count()),
                ["status"] = summary.Status.Select(x => x.ToString()).ToArray(),
                ["nfe"] = s.Evaluations,
                ["accepted"] = s.AcceptedSteps,
                ["rejected"] = s.RejectedSteps,
            };
            return JsonSerializer.SerializeAsync(stream, document, new JsonSerializerOptions { WriteIndented = true });
        });
}
