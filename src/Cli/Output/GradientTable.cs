using System.Globalization;
using System.Numerics;
using OdeGpu.Adjoint;
using Parquet;
using Parquet.Schema;

namespace OdeGpu.Cli.Output;

/// <summary>
/// The <c>odegpu gradient --out</c> file, one row per trajectory: trajectory, status, loss, d_y0.. (dL/d initial
/// state), d_NAME for each parameter in the system's order, d_t0 and d_t1; CSV or Parquet, written atomically.
/// </summary>
internal static class GradientTable
{
    /// <summary>Writes the table; NaN marks the gradients of a trajectory that failed.</summary>
    public static Task WriteAsync<T>(string path, LossGradient<T> result, IReadOnlyList<string> parameters, CancellationToken cancellation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var columns = Columns(result, parameters);
        var names = columns.Select(c => c.Name).ToArray();
        var rows = result.Loss.Length;
        var status = result.Gradient.Status.Select(s => s.ToString()).ToArray();
        return path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? AtomicFile.WriteAsync(path, async stream =>
            {
                var trajectory = new DataField<int>("trajectory");
                var statusField = new DataField<string>("status");
                var fields = names.Select(n => new DataField<double>(n)).ToArray();
                await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(new Field[] { trajectory, statusField }.Concat(fields)), stream,
                    cancellationToken: cancellation);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<int>(trajectory, Enumerable.Range(0, rows).ToArray(), cancellationToken: cancellation);
                await group.WriteAsync(statusField, status);
                for (var c = 0; c < fields.Length; c++)
                    await group.WriteAsync<double>(fields[c], Enumerable.Range(0, rows).Select(columns[c].Value).ToArray(), cancellationToken: cancellation);
            })
            : AtomicFile.WriteAsync(path, async stream =>
            {
                await using var text = new StreamWriter(stream);
                await text.WriteLineAsync(string.Join(',', ["trajectory", "status", .. names]));
                for (var r = 0; r < rows; r++)
                    await text.WriteLineAsync(string.Join(',',
                        [r.ToString(CultureInfo.InvariantCulture), status[r], .. columns.Select(c => c.Value(r).ToString("R", CultureInfo.InvariantCulture))]));
            });
    }

    private static (string Name, Func<int, double> Value)[] Columns<T>(LossGradient<T> result, IReadOnlyList<string> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = result.Gradient;
        var last = g.Times.GetLength(1) - 1;
        return
        [
            ("loss", r => double.CreateTruncating(result.Loss[r])),
            .. Enumerable.Range(0, g.InitialState.GetLength(1)).Select(d => ($"d_y{d}", (Func<int, double>)(r => double.CreateTruncating(g.InitialState[r, d])))),
            .. parameters.Select((name, p) => ($"d_{name}", (Func<int, double>)(r => double.CreateTruncating(g.Parameters[r, p])))),
            ("d_t0", r => double.CreateTruncating(g.Times[r, 0])),
            ("d_t1", r => double.CreateTruncating(g.Times[r, last])),
        ];
    }
}
