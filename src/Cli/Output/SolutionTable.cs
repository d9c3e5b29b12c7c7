using System.Globalization;

namespace OdeGpu.Cli.Output;

/// <summary>The short table printed when no --out file is given: the final state of the first trajectories.</summary>
internal static class SolutionTable
{
    /// <summary>Prints the kept final states, then how many trajectories were left out.</summary>
    public static void Print(TextWriter output, IReadOnlyList<FinalState> final, int total, IReadOnlyList<string> columns)
    {
        var header = new[] { "trajectory", "status", "t" }.Concat(columns).ToArray();
        var rows = final.Select(f =>
            new[] { f.Trajectory.ToString(CultureInfo.InvariantCulture), f.Status.ToString(), Format(f.Time) }.Concat(f.State.Select(Format)).ToArray()).ToList();
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        output.WriteLine(string.Join("  ", header.Select((h, c) => h.PadLeft(widths[c]))));
        foreach (var row in rows)
            output.WriteLine(string.Join("  ", row.Select((v, c) => v.PadLeft(widths[c]))));
        if (total > rows.Count)
            output.WriteLine($"... {total - rows.Count} more trajectories (write them all with --out FILE.csv)");
    }

    private static string Format(double x) => x.ToString("G10", CultureInfo.InvariantCulture);
}
