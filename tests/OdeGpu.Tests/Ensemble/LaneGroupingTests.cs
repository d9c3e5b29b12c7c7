using OdeGpu.Ensemble;

namespace OdeGpu.Tests.Ensemble;

/// <summary>
/// Groups of lanes rebuilt from trajectories of alike remaining work: the estimate, the idle share it predicts, and a
/// regrouping that sorts within blocks of consecutive trajectories only, and only where the groups differ.
/// </summary>
public sealed class LaneGroupingTests
{
    [Fact]
    public void The_remaining_attempts_follow_the_mean_step_so_far_in_either_direction()
    {
        Assert.Equal(20, LaneGrouping.Remaining(0, 1, 3, 10, 100_000), 12);
        Assert.Equal(20, LaneGrouping.Remaining(3, 2, 0, 10, 100_000), 12);
        Assert.Equal(0, LaneGrouping.Remaining(0, 3, 3, 10, 100_000));
        Assert.Equal(500, LaneGrouping.Remaining(0, 0, 3, 0, 500)); // no progress yet: as slow as allowed
        Assert.Equal(500, LaneGrouping.Remaining(0, 1e-9, 3, 1, 500));
    }

    [Fact]
    public void The_idle_share_is_what_each_group_waits_for_its_slowest_lane()
    {
        Assert.Equal(0, LaneGrouping.Idle([5, 5, 5, 5, 1, 1, 1, 1], 4));
        Assert.Equal(0.5, LaneGrouping.Idle([10, 0, 10, 0], 2));
        Assert.Equal(3.0 / 20, LaneGrouping.Idle([4, 1, 4, 4, 2, 2], 4), 15); // 3 idle of 4 x 4 in the first group, none of 2 x 2 in the second
        Assert.Equal(0, LaneGrouping.Idle([], 8));
    }

    [Fact]
    public void Mixed_groups_are_sorted_within_blocks_and_no_trajectory_leaves_its_block()
    {
        var count = 2 * LaneGrouping.Block + 10;
        var order = Enumerable.Range(0, count).Select(i => 1000 + i).ToArray();
        var remaining = Enumerable.Range(0, count).Select(i => i % 2 == 0 ? 300.0 : 10.0 + i % 7).ToArray();
        var before = order.ToArray();

        Assert.True(LaneGrouping.Regroup(order, remaining, 8));

        for (var start = 0; start < count; start += LaneGrouping.Block)
        {
            var end = Math.Min(count, start + LaneGrouping.Block);
            Assert.Equal(before[start..end].Order(), order[start..end].Order());
            Assert.True(remaining[start..end].SequenceEqual(remaining[start..end].Order()));
        }
        Assert.True(LaneGrouping.Idle(remaining, 8) < 0.05);
    }

    [Fact]
    public void Groups_already_alike_keep_their_order()
    {
        var order = Enumerable.Range(0, 64).ToArray();
        var remaining = Enumerable.Range(0, 64).Select(i => 100.0 + i / 8 * 50).ToArray(); // alike within each group of 8

        Assert.False(LaneGrouping.Regroup(order, remaining, 8));
        Assert.Equal(Enumerable.Range(0, 64), order);
    }
}
