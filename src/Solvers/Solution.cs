using OdeGpu.Batched;
using OdeGpu.Ensemble;
using OdeGpu.Tableaux;

namespace OdeGpu;

/// <summary>The values of every trajectory (row) at every requested time, with a status and statistics per row.</summary>
/// <typeparam name="T">The state scalar.</typeparam>
public sealed class Solution<T> where T : unmanaged
{
    internal Solution(int rows, int dimension, double[] times, T[] values, TrajectoryStatus[] status,
        SolveStatistics statistics, ButcherTableau method, string device, TimeSpan wall, TimeSpan compute, string mode = "batched",
        double[,]? trajectoryTimes = null, int firstRow = 0, SimdReport? simd = null)
    {
        Simd = simd;
        Rows = rows;
        Dimension = dimension;
        Times = times;
        TrajectoryTimes = trajectoryTimes;
        Mode = mode;
        FirstRow = firstRow;
        Values = values;
        Status = status;
        Statistics = statistics;
        Method = method;
        Device = device;
        Wall = wall;
        Compute = compute;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>The ensemble mode's path on the CPU: SIMD lanes or scalar, and why (null for the batched mode).</summary>
    public SimdReport? Simd { get; }

    /// <summary>Components per row.</summary>
    public int Dimension { get; }

    /// <summary>The output times shared by every row (the first row's when each row has its own).</summary>
    public double[] Times { get; }

    /// <summary>Each row's own output times, [rows, times], when the rows have their own time spans; otherwise null.</summary>
    public double[,]? TrajectoryTimes { get; }

    /// <summary>"batched" or "ensemble".</summary>
    public string Mode { get; }

    /// <summary>Index of this solution's first row in the whole ensemble (nonzero for the chunks of a chunked solve).</summary>
    public int FirstRow { get; }

    /// <summary>Values, [row][time][component] row-major. Output times a row never reached (after its failure) hold NaN.</summary>
    public T[] Values { get; }

    /// <summary>How each row ended.</summary>
    public TrajectoryStatus[] Status { get; }

    /// <summary>Work per row and in total.</summary>
    public SolveStatistics Statistics { get; }

    /// <summary>The method used.</summary>
    public ButcherTableau Method { get; }

    /// <summary>The device used, as <see cref="OdeGpu.Device.OdeDevice.Description"/> says it.</summary>
    public string Device { get; }

    /// <summary>Wall time of the solve, uploads and downloads included.</summary>
    public TimeSpan Wall { get; }

    /// <summary>Time in the kernels: the step (or slice) loop with its small readbacks, without uploads and downloads.</summary>
    public TimeSpan Compute { get; }

    /// <summary>Output time <paramref name="timeIndex"/> of <paramref name="row"/>.</summary>
    public double Time(int row, int timeIndex) => TrajectoryTimes is { } own ? own[row, timeIndex] : Times[timeIndex];

    /// <summary>The value of <paramref name="component"/> of <paramref name="row"/> at <c>Times[timeIndex]</c>.</summary>
    public T this[int row, int timeIndex, int component] => Values[((long)row * Times.Length + timeIndex) * Dimension + component];

    /// <summary>The state of <paramref name="row"/> at <c>Times[timeIndex]</c>.</summary>
    public T[] State(int row, int timeIndex) =>
        Values.AsSpan((int)(((long)row * Times.Length + timeIndex) * Dimension), Dimension).ToArray();

    /// <summary>The same solution at a subset of its output times, in the order given.</summary>
    /// <param name="timeIndices">Indices into <see cref="Times"/>.</param>
    internal Solution<T> SelectTimes(int[] timeIndices)
    {
        if (timeIndices.Length == Times.Length && timeIndices.Select((t, i) => t == i).All(same => same))
            return this;
        var values = new T[(long)Rows * timeIndices.Length * Dimension];
        for (var r = 0; r < Rows; r++)
            for (var j = 0; j < timeIndices.Length; j++)
                Array.Copy(Values, ((long)r * Times.Length + timeIndices[j]) * Dimension, values, ((long)r * timeIndices.Length + j) * Dimension, Dimension);
        double[,]? own = null;
        if (TrajectoryTimes is { } all)
        {
            own = new double[Rows, timeIndices.Length];
            for (var r = 0; r < Rows; r++)
                for (var j = 0; j < timeIndices.Length; j++)
                    own[r, j] = all[r, timeIndices[j]];
        }
        return new Solution<T>(Rows, Dimension, timeIndices.Select(j => Times[j]).ToArray(), values, Status, Statistics, Method, Device,
            Wall, Compute, Mode, own, FirstRow, Simd);
    }

    /// <summary>This solution with row <paramref name="rows"/>[k] taken from row k of <paramref name="replacement"/> (same times).</summary>
    internal Solution<T> Replace(int[] rows, Solution<T> replacement)
    {
        var values = (T[])Values.Clone();
        var status = (TrajectoryStatus[])Status.Clone();
        var (evaluations, accepted, rejected) = ((int[])Statistics.Evaluations.Clone(), (int[])Statistics.AcceptedSteps.Clone(), (int[])Statistics.RejectedSteps.Clone());
        var width = (long)Times.Length * Dimension;
        for (var k = 0; k < rows.Length; k++)
        {
            Array.Copy(replacement.Values, k * width, values, rows[k] * width, width);
            status[rows[k]] = replacement.Status[k];
            evaluations[rows[k]] = replacement.Statistics.Evaluations[k];
            accepted[rows[k]] = replacement.Statistics.AcceptedSteps[k];
            rejected[rows[k]] = replacement.Statistics.RejectedSteps[k];
        }
        var statistics = new SolveStatistics(evaluations, accepted, rejected, Statistics.HostIterations + replacement.Statistics.HostIterations);
        return new Solution<T>(Rows, Dimension, Times, values, status, statistics, Method, Device, Wall + replacement.Wall, Compute + replacement.Compute,
            Mode, TrajectoryTimes, FirstRow, Simd);
    }

    /// <summary>This solution with the given evaluations per row (a solve repeated for some rows counts all its work).</summary>
    internal Solution<T> WithEvaluations(int[] evaluations) =>
        new(Rows, Dimension, Times, Values, Status, Statistics with { Evaluations = evaluations }, Method, Device, Wall, Compute, Mode, TrajectoryTimes, FirstRow, Simd);

    /// <summary>Joins the chunks of a chunked solve, in order, into one solution.</summary>
    /// <exception cref="ArgumentException">There are no chunks.</exception>
    public static Solution<T> Concatenate(IEnumerable<Solution<T>> chunks)
    {
        var list = chunks.ToList();
        if (list.Count == 0)
            throw new ArgumentException("there are no chunks to join", nameof(chunks));
        if (list.Count == 1)
            return list[0];
        var first = list[0];
        var rows = list.Sum(c => c.Rows);
        var statistics = new SolveStatistics(
            list.SelectMany(c => c.Statistics.Evaluations).ToArray(),
            list.SelectMany(c => c.Statistics.AcceptedSteps).ToArray(),
            list.SelectMany(c => c.Statistics.RejectedSteps).ToArray(),
            list.Sum(c => c.Statistics.HostIterations));
        double[,]? own = null;
        if (first.TrajectoryTimes is not null)
        {
            own = new double[rows, first.Times.Length];
            var row = 0;
            foreach (var chunk in list)
                for (var r = 0; r < chunk.Rows; r++, row++)
                    for (var j = 0; j < first.Times.Length; j++)
                        own[row, j] = chunk.TrajectoryTimes![r, j];
        }
        return new Solution<T>(rows, first.Dimension, first.Times, list.SelectMany(c => c.Values).ToArray(),
            list.SelectMany(c => c.Status).ToArray(), statistics, first.Method, first.Device,
            TimeSpan.FromTicks(list.Sum(c => c.Wall.Ticks)), TimeSpan.FromTicks(list.Sum(c => c.Compute.Ticks)), first.Mode, own, first.FirstRow, first.Simd);
    }
}
