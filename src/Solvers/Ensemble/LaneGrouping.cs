namespace OdeGpu.Ensemble;

/// <summary>
/// Groups of SIMD lanes from trajectories of alike remaining work. A group runs until its slowest lane ends, so a fast
/// trajectory beside slow ones leaves its lane idle; an ensemble whose costs are mixed along its index (random
/// parameters) wastes much of its lanes so. After a short first slice each running trajectory's remaining attempts are
/// estimated from its mean step so far, and where the groups as launched would leave more than
/// <see cref="IdleShare"/> of their lane-attempts idle, the trajectories are sorted by that estimate within blocks of
/// <see cref="Block"/> consecutive ones: a group's trajectories then stay near each other in memory, so its loads and
/// output writes touch few cache lines (sorting the whole ensemble scattered them and was slower). Only the order of
/// launch changes; every lane computes what it computed before.
/// </summary>
internal static class LaneGrouping
{
    /// <summary>Attempts of the first slice on lanes, after which the groups are rebuilt.</summary>
    public const int ProbeSteps = 16;

    /// <summary>Consecutive trajectories (in launch order) sorted among themselves.</summary>
    public const int Block = 256;

    /// <summary>The share of idle lane-attempts above which the groups are rebuilt.</summary>
    public const double IdleShare = 0.25;

    /// <summary>
    /// Remaining attempts of a trajectory at its mean accepted step so far, |t1 - t| accepted / |t - t0|, at most
    /// <paramref name="maxSteps"/> (also for a trajectory that has not moved).
    /// </summary>
    public static double Remaining(double t0, double t, double t1, int accepted, int maxSteps)
    {
        var covered = Math.Abs(t - t0);
        var estimate = covered > 0 ? Math.Abs(t1 - t) * Math.Max(accepted, 1) / covered : double.PositiveInfinity;
        return Math.Min(estimate, maxSteps);
    }

    /// <summary>
    /// The share of lane-attempts left idle when consecutive entries of <paramref name="remaining"/> form groups of
    /// <paramref name="lanes"/>: each group runs as long as its largest entry.
    /// </summary>
    public static double Idle(ReadOnlySpan<double> remaining, int lanes)
    {
        double idle = 0, run = 0;
        for (var g = 0; g < remaining.Length; g += lanes)
        {
            var group = remaining.Slice(g, Math.Min(lanes, remaining.Length - g));
            var longest = 0.0;
            foreach (var r in group)
                longest = Math.Max(longest, r);
            foreach (var r in group)
                idle += longest - r;
            run += longest * group.Length;
        }
        return run > 0 ? idle / run : 0;
    }

    /// <summary>
    /// Sorts <paramref name="order"/> by <paramref name="remaining"/> (one estimate per entry, sorted with it) within
    /// each block of <see cref="Block"/> entries when its groups of <paramref name="lanes"/> leave more than
    /// <see cref="IdleShare"/> idle; returns whether it did.
    /// </summary>
    public static bool Regroup(int[] order, double[] remaining, int lanes)
    {
        if (Idle(remaining, lanes) <= IdleShare)
            return false;
        for (var start = 0; start < order.Length; start += Block)
            Array.Sort(remaining, order, start, Math.Min(Block, order.Length - start));
        return true;
    }
}
