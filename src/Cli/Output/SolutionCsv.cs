using System.Globalization;
using System.Numerics;
using System.Text;

namespace OdeGpu.Cli.Output;

/// <summary>One row per trajectory and output time: trajectory, status, t, then one column per state component.</summary>
internal static class SolutionCsv
{
    /// <summary>Writes the chunks in order as they arrive, with round-trip precision; NaN marks times a trajectory never reached.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; no file is left behind.</exception>
    public static Task WriteAsync<T>(string path, IEnumerable<Solution<T>> chunks, IReadOnlyList<string> columns, CancellationToken cancellation)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AtomicFile.WriteAsync(path, async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            await writer.WriteLineAsync("trajectory,status,t," + string.Join(',', columns));
            var line = new StringBuilder();
            foreach (var solution in chunks)
                for (var r = 0; r < solution.Rows; r++)
                {
                    var status = solution.Status[r].ToString();
                    for (var i = 0; i < solution.Times.Length; i++)
                    {
                        line.Clear().Append(solution.FirstRow + r).Append(',').Append(status).Append(',')
                            .Append(solution.Time(r, i).ToString("R", CultureInfo.InvariantCulture));
                        for (var d = 0; d < solution.Dimension; d++)
                            line.Append(',').Append(solution[r, i, d].ToString("R", CultureInfo.InvariantCulture));
                        await writer.WriteLineAsync(line, cancellation);
                    }
                }
        });
}
