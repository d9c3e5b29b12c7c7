namespace OdeGpu.Ensemble;

/// <summary>How the ensemble mode schedules its kernel launches.</summary>
public sealed record EnsembleOptions
{
    /// <summary>
    /// Most attempts each trajectory makes per kernel launch (K); the host compacts between launches (default 256). On
    /// SIMD lanes with <see cref="Compaction"/> and an adaptive controller, the first launch makes at most 16, to regroup
    /// the lanes after it.
    /// </summary>
    public int SliceSteps { get; init; } = 256;

    /// <summary>
    /// Relaunch only the trajectories still running, packed together so warps stay full (default true). The host packs
    /// them when at most three quarters of the launched trajectories still run, so slices where few finished cost no
    /// status download. On SIMD lanes with an adaptive controller it also regroups them after the first slice, so that a
    /// group holds trajectories of alike remaining work where the groups as launched would leave more than a quarter of
    /// their lanes idle (random parameters); the order of launch changes no result. (A fixed step's remaining work is
    /// known from the start.)
    /// </summary>
    public bool Compaction { get; init; } = true;

    /// <summary>
    /// On the CPU, run groups of trajectories on SIMD lanes (8 floats or 4 doubles per AVX2 vector) where the system
    /// allows it (default true); false forces the scalar kernel, one trajectory at a time. <see cref="Solution{T}.Simd"/>
    /// says which ran and why.
    /// </summary>
    public bool Simd { get; init; } = true;

    /// <summary>Trajectories per chunk; null sizes chunks to half the device memory.</summary>
    public int? ChunkSize { get; init; }
}
