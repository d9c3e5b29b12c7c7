using System.Runtime.CompilerServices;
using OdeGpu.BuiltIn;
using OdeGpu.Cli.Output;
using OdeGpu.Ensemble;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Cli;

/// <summary>The summary of a chunked solve keeps statistics and the table's rows, never a chunk.</summary>
public sealed class SolveSummaryTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Fact]
    public void No_chunk_stays_alive_once_it_has_been_passed_on()
    {
        var summary = new SolveSummary<double>();

        var chunks = TrackChunksOfTwo(summary, trajectories: 8);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(4, chunks.Count);
        Assert.All(chunks, c => Assert.False(c.IsAlive));
    }

    [Fact]
    public void The_table_keeps_the_first_ten_trajectories_across_chunks()
    {
        var summary = new SolveSummary<double>();

        TrackChunksOfTwo(summary, trajectories: 16);

        Assert.Equal(Enumerable.Range(0, 10), summary.Final.Select(f => f.Trajectory));
        Assert.All(summary.Final, f => Assert.Equal(1.0, f.Time));
        Assert.Equal(16, summary.Status.Count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private List<WeakReference> TrackChunksOfTwo(SolveSummary<double> summary, int trajectories)
    {
        var y0 = Batches.Repeat<double>(trajectories, 1, 0);
        var chunks = BuiltInSystem.Parse("harmonic").SolveEnsemble(cpu.Device, y0, new double[trajectories, 1], [0, 1], new SolveOptions(),
            new EnsembleOptions { ChunkSize = 2 });
        return summary.Track(chunks).Select(c => new WeakReference(c)).ToList();
    }
}
