namespace OdeGpu.Ensemble;

/// <summary>Output times shared by every trajectory, or one strictly monotonic row per trajectory.</summary>
internal sealed class TimeGrid
{
    public TimeGrid(double[] shared, double[,]? perTrajectory)
    {
        Shared = perTrajectory is null;
        Values = shared;
        PerTrajectory = perTrajectory;
        Count = perTrajectory?.GetLength(1) ?? shared.Length;
    }

    /// <summary>True when every trajectory uses <see cref="Values"/>.</summary>
    public bool Shared { get; }

    /// <summary>The shared times (the first trajectory's when they are per trajectory).</summary>
    public double[] Values { get; }

    /// <summary>[trajectories, times] or null.</summary>
    public double[,]? PerTrajectory { get; }

    /// <summary>Output times per trajectory.</summary>
    public int Count { get; }

    /// <summary>Checks each row of <paramref name="times"/> and wraps it.</summary>
    /// <exception cref="ArgumentException">The row count differs from the trajectories or a row is not strictly monotonic.</exception>
    public static TimeGrid ForTrajectories(double[,] times, int trajectories)
    {
        if (times.GetLength(0) != trajectories)
            throw new ArgumentException($"times must have one row per trajectory ({trajectories}), but has {times.GetLength(0)}", nameof(times));
        for (var i = 0; i < trajectories; i++)
            InputValidation.Times(Row(times, i), $"times[{i}]");
        return new TimeGrid(Row(times, 0), times);
    }

    /// <summary>The times of trajectories [first, first + count), component-major [time][trajectory], or the shared list.</summary>
    public double[] Layout(int first, int count)
    {
        if (PerTrajectory is null)
            return Values;
        var layout = new double[(long)Count * count];
        for (var j = 0; j < Count; j++)
            for (var i = 0; i < count; i++)
                layout[(long)j * count + i] = PerTrajectory[first + i, j];
        return layout;
    }

    /// <summary>Row <paramref name="i"/> of a [trajectories, times] array.</summary>
    public static double[] Row(double[,] times, int i) =>
        Enumerable.Range(0, times.GetLength(1)).Select(j => times[i, j]).ToArray();
}
