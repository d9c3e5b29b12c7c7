using System.Numerics;
using System.Runtime.Intrinsics;

namespace OdeGpu.Tests.Support;

/// <summary>The vector widths a test of the SIMD lanes expects: this process's, and the CPU's widest accelerated one.</summary>
internal static class VectorWidth
{
    /// <summary>The bits of .NET's <see cref="Vector{T}"/> in this process.</summary>
    public static int Current => 8 * Vector<byte>.Count;

    /// <summary>The bits of the CPU's widest vectors that .NET accelerates.</summary>
    public static int Widest => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary><see cref="Widest"/> where it is wider than <see cref="Current"/>, else null (SimdReport.WiderBits).</summary>
    public static int? Wider => Widest > Current ? Widest : null;
}
