using System.Globalization;
using System.Numerics;

namespace OdeGpu.Cli.Output;

/// <summary>The short table printed when no --out file is given: the final state of the first trajectories.</summary>
internal static class SolutionTable
{
    private const int MaxRows = 10;

    /// <summary>Prints up to ten trajectories of the first chunk at the final time, then how many were left out.</summary>
    public static void Print<T>(TextWriter output, Solution<T> solution, int total, IReadOnlyList<string> columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var header = new[] { "trajectory", "status", "t" }.Concat(columns).ToArray();
        var rows = Enumerable.Range(0, Math.Min(MaxRows, solution.Rows)).Select(r =>
            new[] { r.ToString(CultureInfo.InvariantCulture), solution.Status[r].ToString(), Format(solution.Time(r, solution.Times.Length - 1)) }
                .Concat(Enumerable.Range(0, solution.Dimension).Select(d => Format(double.CreateTruncating(solution[r, solution.Times.Length - 1, d]))))
                .ToArray()).ToList();
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        output.WriteLine(string.Join("  ", header.Select((h, c) => h.PadLeft(widths[c]))));
        foreach (var row in rows)
            output.WriteLine(string.Join("  ", row.Select((v, c) => v.PadLeft(widths[c]))));
        if (total > rows.Count)
            output.WriteLine($"... {total - rows.Count} more trajectories (write them all with --out FILE.csv)");
    }

    private static string Format(double x) => x.ToString("G10", CultureInfo.InvariantCulture);
}
