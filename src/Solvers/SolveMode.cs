namespace OdeGpu;

/// <summary>How a per-trajectory system is executed.</summary>
public enum SolveMode
{
    /// <summary>The ensemble mode for a per-trajectory system, the batched mode for batch dynamics.</summary>
    Auto,

    /// <summary>One fused kernel, one thread per trajectory (per-trajectory systems only).</summary>
    Ensemble,

    /// <summary>One kernel per stage over the [trajectories x dim] batch.</summary>
    Batched,
}
