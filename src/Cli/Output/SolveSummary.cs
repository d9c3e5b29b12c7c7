using System.Numerics;
using OdeGpu.Batched;
using OdeGpu.Ensemble;

namespace OdeGpu.Cli.Output;

/// <summary>What the statistics and the console table need of a solve that arrives chunk by chunk; no chunk is kept.</summary>
internal sealed class SolveSummary<T> where T : unmanaged, INumberBase<T>
{
    private const int TableRows = 10;
    private readonly List<FinalState> _final = [];
    private readonly List<TrajectoryStatus> _status = [];
    private readonly List<int> _evaluations = [], _accepted = [], _rejected = [];
    private int _iterations;
    private TimeSpan _wall, _compute;

    /// <summary>Components per trajectory.</summary>
    public int Dimension { get; private set; }

    /// <summary>Output times per trajectory.</summary>
    public int OutputTimes { get; private set; }

    /// <summary>The ensemble mode's path on the CPU (SIMD lanes or scalar, and why); null for the batched mode.</summary>
    public SimdReport? Simd { get; private set; }

    /// <summary>The first ten trajectories at their last output time, for the console table.</summary>
    public IReadOnlyList<FinalState> Final => _final;

    /// <summary>Records one chunk and passes it on.</summary>
    public IEnumerable<Solution<T>> Track(IEnumerable<Solution<T>> chunks)
    {
        foreach (var chunk in chunks)
        {
            (Dimension, OutputTimes, Simd) = (chunk.Dimension, chunk.Times.Length, chunk.Simd);
            KeepFinal(chunk);
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

    private void KeepFinal(Solution<T> chunk)
    {
        var last = chunk.Times.Length - 1;
        for (var r = 0; r < chunk.Rows && _final.Count < TableRows; r++)
            _final.Add(new FinalState(chunk.FirstRow + r, chunk.Status[r], chunk.Time(r, last),
                Enumerable.Range(0, chunk.Dimension).Select(d => double.CreateTruncating(chunk[r, last, d])).ToArray()));
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
