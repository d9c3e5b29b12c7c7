using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OdeGpu.Device;

/// <summary>
/// Matrix products in <see cref="Vector{T}"/> lanes for the convolutions' SIMD twin (<see cref="Conv2dLanes"/>), each
/// accumulated into its result. The register tile is six rows of the result by two vectors of its columns (twelve
/// accumulators, two loads and six broadcasts per twelve fused multiply-adds; four rows, then single rows, for what
/// remains), and the inner dimension runs in panels that keep the streamed matrix in the first-level cache. On this
/// project's 2-core AMD EPYC (one 256-bit FMA per cycle, about 40 GFLOP/s per core) it runs at about 31 GFLOP/s.
/// </summary>
internal static class GemmLanes
{
    // Inner-dimension panel: 256 rows of two vectors of floats are 16 KiB.
    private const int Panel = 256;

    /// <summary>
    /// c[i cStride + j] += sum over l &lt; k of A[i, l] b[l bStride + j], for i &lt; m and j &lt; n, where
    /// A[i, l] = a[i aRow + l aColumn] (so A may be read transposed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Product<T>(int m, int n, int k, ReadOnlySpan<T> a, int aRow, int aColumn, ReadOnlySpan<T> b, int bStride, Span<T> c, int cStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        ref var aRef = ref MemoryMarshal.GetReference(a);
        ref var bRef = ref MemoryMarshal.GetReference(b);
        ref var cRef = ref MemoryMarshal.GetReference(c);
        for (var l0 = 0; l0 < k; l0 += Panel)
        {
            var l1 = Math.Min(k, l0 + Panel);
            var j = 0;
            for (; j + 2 * lanes <= n; j += 2 * lanes)
            {
                var i = 0;
                for (; i + 6 <= m; i += 6)
                    Tile6x2(ref aRef, aRow, aColumn, ref bRef, bStride, ref cRef, cStride, i, j, l0, l1);
                for (; i + 4 <= m; i += 4)
                    Tile4x2(ref aRef, aRow, aColumn, ref bRef, bStride, ref cRef, cStride, i, j, l0, l1);
                for (; i < m; i++)
                    Row(ref aRef, aRow, aColumn, ref bRef, bStride, ref cRef, cStride, i, j, 2, l0, l1);
            }
            for (; j + lanes <= n; j += lanes)
            {
                var i = 0;
                for (; i + 6 <= m; i += 6)
                    Tile6x1(ref aRef, aRow, aColumn, ref bRef, bStride, ref cRef, cStride, i, j, l0, l1);
                for (; i < m; i++)
                    Row(ref aRef, aRow, aColumn, ref bRef, bStride, ref cRef, cStride, i, j, 1, l0, l1);
            }
            for (; j < n; j++)
                for (var i = 0; i < m; i++)
                {
                    var sum = T.Zero;
                    for (var l = l0; l < l1; l++)
                        sum += Unsafe.Add(ref aRef, i * aRow + l * aColumn) * Unsafe.Add(ref bRef, l * bStride + j);
                    Unsafe.Add(ref cRef, i * cStride + j) += sum;
                }
        }
    }

    // Rows i to i + 5 of the result by two vectors of columns from j: twelve accumulators, the most that leave registers
    // for the two vectors of b and a broadcast.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x2<T>(ref T a, int aRow, int aColumn, ref T b, int bStride, ref T c, int cStride, int i, int j, int l0, int l1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        ref var c0 = ref Unsafe.Add(ref c, i * cStride + j);
        ref var c1 = ref Unsafe.Add(ref c0, cStride);
        ref var c2 = ref Unsafe.Add(ref c1, cStride);
        ref var c3 = ref Unsafe.Add(ref c2, cStride);
        ref var c4 = ref Unsafe.Add(ref c3, cStride);
        ref var c5 = ref Unsafe.Add(ref c4, cStride);
        var (s00, s01) = (DenseLanes.Load(ref c0, 0), DenseLanes.Load(ref c0, lanes));
        var (s10, s11) = (DenseLanes.Load(ref c1, 0), DenseLanes.Load(ref c1, lanes));
        var (s20, s21) = (DenseLanes.Load(ref c2, 0), DenseLanes.Load(ref c2, lanes));
        var (s30, s31) = (DenseLanes.Load(ref c3, 0), DenseLanes.Load(ref c3, lanes));
        var (s40, s41) = (DenseLanes.Load(ref c4, 0), DenseLanes.Load(ref c4, lanes));
        var (s50, s51) = (DenseLanes.Load(ref c5, 0), DenseLanes.Load(ref c5, lanes));
        ref var al = ref Unsafe.Add(ref a, i * aRow + l0 * aColumn);
        ref var bl = ref Unsafe.Add(ref b, l0 * bStride + j);
        nint aRow1 = aRow, aRow2 = 2 * aRow, aRow3 = 3 * aRow, aRow4 = 4 * aRow, aRow5 = 5 * aRow;
        for (var l = l0; l < l1; l++)
        {
            var b0 = DenseLanes.Load(ref bl, 0);
            var b1 = DenseLanes.Load(ref bl, lanes);
            var x = new Vector<T>(al);
            s00 = Lanes.MultiplyAdd(x, b0, s00);
            s01 = Lanes.MultiplyAdd(x, b1, s01);
            x = new Vector<T>(Unsafe.Add(ref al, aRow1));
            s10 = Lanes.MultiplyAdd(x, b0, s10);
            s11 = Lanes.MultiplyAdd(x, b1, s11);
            x = new Vector<T>(Unsafe.Add(ref al, aRow2));
            s20 = Lanes.MultiplyAdd(x, b0, s20);
            s21 = Lanes.MultiplyAdd(x, b1, s21);
            x = new Vector<T>(Unsafe.Add(ref al, aRow3));
            s30 = Lanes.MultiplyAdd(x, b0, s30);
            s31 = Lanes.MultiplyAdd(x, b1, s31);
            x = new Vector<T>(Unsafe.Add(ref al, aRow4));
            s40 = Lanes.MultiplyAdd(x, b0, s40);
            s41 = Lanes.MultiplyAdd(x, b1, s41);
            x = new Vector<T>(Unsafe.Add(ref al, aRow5));
            s50 = Lanes.MultiplyAdd(x, b0, s50);
            s51 = Lanes.MultiplyAdd(x, b1, s51);
            al = ref Unsafe.Add(ref al, aColumn);
            bl = ref Unsafe.Add(ref bl, bStride);
        }
        DenseLanes.Store(s00, ref c0, 0);
        DenseLanes.Store(s01, ref c0, lanes);
        DenseLanes.Store(s10, ref c1, 0);
        DenseLanes.Store(s11, ref c1, lanes);
        DenseLanes.Store(s20, ref c2, 0);
        DenseLanes.Store(s21, ref c2, lanes);
        DenseLanes.Store(s30, ref c3, 0);
        DenseLanes.Store(s31, ref c3, lanes);
        DenseLanes.Store(s40, ref c4, 0);
        DenseLanes.Store(s41, ref c4, lanes);
        DenseLanes.Store(s50, ref c5, 0);
        DenseLanes.Store(s51, ref c5, lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<T>(ref T a, int aRow, int aColumn, ref T b, int bStride, ref T c, int cStride, int i, int j, int l0, int l1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        ref var c0 = ref Unsafe.Add(ref c, i * cStride + j);
        ref var c1 = ref Unsafe.Add(ref c0, cStride);
        ref var c2 = ref Unsafe.Add(ref c1, cStride);
        ref var c3 = ref Unsafe.Add(ref c2, cStride);
        var s00 = DenseLanes.Load(ref c0, 0);
        var s01 = DenseLanes.Load(ref c0, lanes);
        var s10 = DenseLanes.Load(ref c1, 0);
        var s11 = DenseLanes.Load(ref c1, lanes);
        var s20 = DenseLanes.Load(ref c2, 0);
        var s21 = DenseLanes.Load(ref c2, lanes);
        var s30 = DenseLanes.Load(ref c3, 0);
        var s31 = DenseLanes.Load(ref c3, lanes);
        ref var al = ref Unsafe.Add(ref a, i * aRow + l0 * aColumn);
        ref var bl = ref Unsafe.Add(ref b, l0 * bStride + j);
        nint aRow1 = aRow, aRow2 = 2 * aRow, aRow3 = 3 * aRow;
        for (var l = l0; l < l1; l++)
        {
            var b0 = DenseLanes.Load(ref bl, 0);
            var b1 = DenseLanes.Load(ref bl, lanes);
            var x = new Vector<T>(al);
            s00 = Lanes.MultiplyAdd(x, b0, s00);
            s01 = Lanes.MultiplyAdd(x, b1, s01);
            x = new Vector<T>(Unsafe.Add(ref al, aRow1));
            s10 = Lanes.MultiplyAdd(x, b0, s10);
            s11 = Lanes.MultiplyAdd(x, b1, s11);
            x = new Vector<T>(Unsafe.Add(ref al, aRow2));
            s20 = Lanes.MultiplyAdd(x, b0, s20);
            s21 = Lanes.MultiplyAdd(x, b1, s21);
            x = new Vector<T>(Unsafe.Add(ref al, aRow3));
            s30 = Lanes.MultiplyAdd(x, b0, s30);
            s31 = Lanes.MultiplyAdd(x, b1, s31);
            al = ref Unsafe.Add(ref al, aColumn);
            bl = ref Unsafe.Add(ref bl, bStride);
        }
        DenseLanes.Store(s00, ref c0, 0);
        DenseLanes.Store(s01, ref c0, lanes);
        DenseLanes.Store(s10, ref c1, 0);
        DenseLanes.Store(s11, ref c1, lanes);
        DenseLanes.Store(s20, ref c2, 0);
        DenseLanes.Store(s21, ref c2, lanes);
        DenseLanes.Store(s30, ref c3, 0);
        DenseLanes.Store(s31, ref c3, lanes);
    }

    // Rows i to i + 5 by the one vector of columns left over at j: six independent chains, enough to cover the fused
    // multiply-add's latency that a single row's chain would wait on.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x1<T>(ref T a, int aRow, int aColumn, ref T b, int bStride, ref T c, int cStride, int i, int j, int l0, int l1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var c0 = ref Unsafe.Add(ref c, i * cStride + j);
        ref var c1 = ref Unsafe.Add(ref c0, cStride);
        ref var c2 = ref Unsafe.Add(ref c1, cStride);
        ref var c3 = ref Unsafe.Add(ref c2, cStride);
        ref var c4 = ref Unsafe.Add(ref c3, cStride);
        ref var c5 = ref Unsafe.Add(ref c4, cStride);
        var (s0, s1, s2) = (DenseLanes.Load(ref c0, 0), DenseLanes.Load(ref c1, 0), DenseLanes.Load(ref c2, 0));
        var (s3, s4, s5) = (DenseLanes.Load(ref c3, 0), DenseLanes.Load(ref c4, 0), DenseLanes.Load(ref c5, 0));
        ref var al = ref Unsafe.Add(ref a, i * aRow + l0 * aColumn);
        ref var bl = ref Unsafe.Add(ref b, l0 * bStride + j);
        nint aRow1 = aRow, aRow2 = 2 * aRow, aRow3 = 3 * aRow, aRow4 = 4 * aRow, aRow5 = 5 * aRow;
        for (var l = l0; l < l1; l++)
        {
            var b0 = DenseLanes.Load(ref bl, 0);
            s0 = Lanes.MultiplyAdd(new Vector<T>(al), b0, s0);
            s1 = Lanes.MultiplyAdd(new Vector<T>(Unsafe.Add(ref al, aRow1)), b0, s1);
            s2 = Lanes.MultiplyAdd(new Vector<T>(Unsafe.Add(ref al, aRow2)), b0, s2);
            s3 = Lanes.MultiplyAdd(new Vector<T>(Unsafe.Add(ref al, aRow3)), b0, s3);
            s4 = Lanes.MultiplyAdd(new Vector<T>(Unsafe.Add(ref al, aRow4)), b0, s4);
            s5 = Lanes.MultiplyAdd(new Vector<T>(Unsafe.Add(ref al, aRow5)), b0, s5);
            al = ref Unsafe.Add(ref al, aColumn);
            bl = ref Unsafe.Add(ref bl, bStride);
        }
        DenseLanes.Store(s0, ref c0, 0);
        DenseLanes.Store(s1, ref c1, 0);
        DenseLanes.Store(s2, ref c2, 0);
        DenseLanes.Store(s3, ref c3, 0);
        DenseLanes.Store(s4, ref c4, 0);
        DenseLanes.Store(s5, ref c5, 0);
    }

    // One row of the result over `vectors` vectors (1 or 2) of columns from j.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<T>(ref T a, int aRow, int aColumn, ref T b, int bStride, ref T c, int cStride, int i, int j, int vectors, int l0, int l1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        for (var v = 0; v < vectors; v++)
        {
            ref var ci = ref Unsafe.Add(ref c, i * cStride + j + v * lanes);
            var sum = DenseLanes.Load(ref ci, 0);
            for (var l = l0; l < l1; l++)
                sum = Lanes.MultiplyAdd(new Vector<T>(Unsafe.Add(ref a, i * aRow + l * aColumn)), DenseLanes.Load(ref b, l * bStride + j + v * lanes), sum);
            DenseLanes.Store(sum, ref ci, 0);
        }
    }
}
