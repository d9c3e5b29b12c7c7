using OdeGpu.Batched;

namespace OdeGpu.Cli.Output;

/// <summary>What the statistics and the console table need of a solve that arrives chunk by chunk; the values are not kept.</summary>
internal sealed class SolveSummary<T> where T : unmanaged
{
    private readonly List<TrajectoryStatus> _status = [];
    private readonly List<int> _evaluations = [], _accepted = [], _rejected = [];
    private int _iterations;
    private TimeSpan _wall, _compute;

    /// <summary>The first chunk, kept whole for the console table.</summary>
    public Solution<T>? First { get; private set; }

    /// <summary>Records one chunk and passes it on.</summary>
    public IEnumerable<Solution<T>> Track(IEnumerable<Solution<T>> chunks)
    {
        foreach (var chunk in chunks)
        {
            First ??= chunk;
            _status.AddRange(chunk.Status);
            _evaluations.AddRange(chunk.Statistics.Evaluations);
            _accepted.AddRange(chunk.Statistics.AcceptedSteps);
            _rejected.AddRange(chunk.Statistics.RejectedSteps);
            _iterations += chunk.Statistics.HostIterations;
            _wall += chunk.Wall;
            _compute += chunk.Compute;
            yield return chunk;
        }
    }

    /// <summary>Every trajectory's status.</summary>
    public IReadOnlyList<TrajectoryStatus> Status => _status;

    /// <summary>The statistics of the whole solve.</summary>
    public SolveStatistics Statistics => new([.. _evaluations], [.. _accepted], [.. _rejected], _iterations);

    /// <summary>Solve time summed over the chunks.</summary>
    public TimeSpan Wall => _wall;

    /// <summary>Kernel time (the step or slice loops) summed over the chunks.</summary>
    public TimeSpan Compute => _compute;
}
