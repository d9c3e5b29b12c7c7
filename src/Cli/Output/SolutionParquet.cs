using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace OdeGpu.Cli.Output;

/// <summary>
/// The CSV layout as a Parquet file: columns trajectory (int32), status (string), t (double), then the components in
/// the state's precision; one row group per chunk.
/// </summary>
internal static class SolutionParquet
{
    /// <summary>Writes the chunks in order as they arrive; NaN marks times a trajectory never reached.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; no file is left behind.</exception>
    public static Task WriteAsync<T>(string path, IEnumerable<Solution<T>> chunks, IReadOnlyList<string> columns, CancellationToken cancellation)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AtomicFile.WriteAsync(path, async stream =>
        {
            var trajectory = new DataField<int>("trajectory");
            var status = new DataField<string>("status");
            var time = new DataField<double>("t");
            var components = columns.Select(c => new DataField<T>(c)).ToArray();
            var schema = new ParquetSchema(new Field[] { trajectory, status, time }.Concat(components));
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellation);
            foreach (var solution in chunks)
            {
                var m = solution.Times.Length;
                var rows = solution.Rows * m;
                var names = solution.Status.Select(s => s.ToString()).ToArray();
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<int>(trajectory, Enumerable.Range(0, rows).Select(i => solution.FirstRow + i / m).ToArray(), cancellationToken: cancellation);
                await group.WriteAsync(status, Enumerable.Range(0, rows).Select(i => names[i / m]).ToArray());
                await group.WriteAsync<double>(time, Enumerable.Range(0, rows).Select(i => solution.Time(i / m, i % m)).ToArray(), cancellationToken: cancellation);
                for (var d = 0; d < components.Length; d++)
                {
                    var column = new T[rows];
                    for (var i = 0; i < rows; i++)
                        column[i] = solution.Values[(long)i * solution.Dimension + d];
                    await group.WriteAsync<T>(components[d], column, cancellationToken: cancellation);
                }
            }
        });
}
