using OdeGpu.Ensemble;

namespace OdeGpu.Tests.Ensemble;

/// <summary>The default chunk of an ensemble solve fits the device, the host and one .NET array.</summary>
public sealed class ChunkBudgetTests
{
    private const long Terabyte = 1L << 40;

    [Fact]
    public void A_chunk_uses_at_most_half_the_device_memory()
    {
        var chunk = ChunkBudget.Trajectories(deviceBytes: 1L << 30, hostBytes: Terabyte, scalar: 8, dim: 3, parameters: 3, outputTimes: 1000, sharedTimes: true, count: int.MaxValue);

        Assert.InRange(chunk * 8L * 3 * 1000, 1, (1L << 30) / 2);
    }

    [Fact]
    public void A_chunk_uses_at_most_half_the_host_memory_for_its_two_copies_of_the_outputs()
    {
        var chunk = ChunkBudget.Trajectories(deviceBytes: Terabyte, hostBytes: 1L << 30, scalar: 8, dim: 3, parameters: 3, outputTimes: 1000, sharedTimes: true, count: int.MaxValue);

        Assert.InRange(2 * chunk * 8L * 3 * 1000, 1, (1L << 30) / 2);
    }

    [Fact]
    public void The_outputs_of_a_chunk_fit_one_array()
    {
        var chunk = ChunkBudget.Trajectories(deviceBytes: Terabyte, hostBytes: Terabyte, scalar: 4, dim: 4, parameters: 0, outputTimes: 100_000, sharedTimes: true, count: int.MaxValue);

        Assert.InRange(chunk * 4L * 100_000, 1, Array.MaxLength);
    }

    [Fact]
    public void A_small_ensemble_is_one_chunk_and_a_huge_trajectory_still_gets_a_chunk_of_one()
    {
        Assert.Equal(100, ChunkBudget.Trajectories(Terabyte, Terabyte, 8, 3, 3, 2, true, count: 100));
        Assert.Equal(1, ChunkBudget.Trajectories(1024, 1024, 8, 3, 3, 1_000_000, true, count: 100));
    }
}
