namespace OdeGpu.Ensemble;

/// <summary>Which path the fused ensemble kernel took on the CPU: SIMD lanes, or one trajectory at a time, and why.</summary>
/// <param name="Lanes">Trajectories per group: the vector width on the SIMD path, 1 on the scalar path.</param>
/// <param name="Reason">Why the scalar path ran (a GPU, <see cref="EnsembleOptions.Simd"/> off, a system that branches on values, ...); null on the SIMD path.</param>
public sealed record SimdReport(int Lanes, string? Reason)
{
    /// <summary>Whether the SIMD path ran.</summary>
    public bool Used => Reason is null;

    /// <summary>"simd (N lanes)" or "scalar: reason".</summary>
    public override string ToString() => Used ? $"simd ({Lanes} lanes)" : $"scalar: {Reason}";
}
