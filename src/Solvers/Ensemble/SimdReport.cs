using System.Numerics;
using System.Runtime.Intrinsics;

namespace OdeGpu.Ensemble;

/// <summary>Which path the fused ensemble kernel took on the CPU: SIMD lanes, or one trajectory at a time, and why.</summary>
/// <param name="Lanes">Trajectories per group: the vector width on the SIMD path, 1 on the scalar path.</param>
/// <param name="Reason">Why the scalar path ran (a GPU, <see cref="EnsembleOptions.Simd"/> off, a system that branches on values, ...); null on the SIMD path.</param>
public sealed record SimdReport(int Lanes, string? Reason)
{
    /// <summary>
    /// On the SIMD path, the width in bits of the CPU's widest accelerated vectors where .NET's <see cref="Vector{T}"/>
    /// is narrower, so that groups could be wider: .NET keeps <see cref="Vector{T}"/> at 256 bits on AVX-512 CPUs unless
    /// the process starts with DOTNET_MaxVectorTBitWidth=512 (a running process cannot change it;
    /// <see cref="SimdWidth.RestartWithWidestVectors"/> restarts it so). Null when the lanes are as wide as the CPU's
    /// vectors.
    /// </summary>
    public int? WiderBits { get; init; }

    /// <summary>Whether the SIMD path ran.</summary>
    public bool Used => Reason is null;

    /// <summary>"simd (N lanes)", with the setting that widens them where the CPU allows, or "scalar: reason".</summary>
    public override string ToString() => !Used ? $"scalar: {Reason}"
        : WiderBits is { } bits ? $"simd ({Lanes} lanes; {SimdWidth.Variable}={bits} makes them {Lanes * bits / (8 * Vector<byte>.Count)})"
        : $"simd ({Lanes} lanes)";

    /// <summary>The report of the SIMD path over lanes of <typeparamref name="T"/>.</summary>
    internal static SimdReport OnLanes<T>() where T : unmanaged
    {
        var widest = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
        return new(Vector<T>.Count, null) { WiderBits = widest > 8 * Vector<byte>.Count ? widest : null };
    }
}
