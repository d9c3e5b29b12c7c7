using OdeGpu.Tableaux;

namespace OdeGpu.Batched;

/// <summary>The values of every row at every requested time, with a status and statistics per row.</summary>
/// <typeparam name="T">The state scalar.</typeparam>
public sealed class BatchedSolution<T> where T : unmanaged
{
    internal BatchedSolution(int rows, int dimension, double[] times, T[] values, TrajectoryStatus[] status,
        SolveStatistics statistics, ButcherTableau method, string device, TimeSpan wall)
    {
        Rows = rows;
        Dimension = dimension;
        Times = times;
        Values = values;
        Status = status;
        Statistics = statistics;
        Method = method;
        Device = device;
        Wall = wall;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Components per row.</summary>
    public int Dimension { get; }

    /// <summary>The output times (a copy of those requested).</summary>
    public double[] Times { get; }

    /// <summary>Values, [row][time][component] row-major. Entries after a row's failure keep the value zero.</summary>
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

    /// <summary>The value of <paramref name="component"/> of <paramref name="row"/> at <c>Times[timeIndex]</c>.</summary>
    public T this[int row, int timeIndex, int component] => Values[((long)row * Times.Length + timeIndex) * Dimension + component];

    /// <summary>The state of <paramref name="row"/> at <c>Times[timeIndex]</c>.</summary>
    public T[] State(int row, int timeIndex) =>
        Values.AsSpan((int)(((long)row * Times.Length + timeIndex) * Dimension), Dimension).ToArray();
}
