using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace OdeGpu.Device;

/// <summary>
/// Host memory reached through the view's address, for the direct CPU launcher only. ILGPU's indexer asserts on the
/// host that the buffer belongs to a CPU accelerator, through three dependent loads per access; with a few thousand
/// accesses per step of a small batch that was a third of a solve (bench/RESULTS.md). The range stays checked. The
/// inner loops run in <see cref="DenseLanes"/>: sums in another order than the plain loops', so the last bits differ.
/// </summary>
internal readonly struct HostViewAccess : IViewAccess
{
    /// <inheritdoc />
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is outside the view.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe ref TElement At<TElement>(ArrayView<TElement> view, long index) where TElement : unmanaged
    {
        if ((ulong)index >= (ulong)view.Length)
            Outside(index, view.Length);
        return ref ((TElement*)view.LoadEffectiveAddressAsPtr())[index];
    }

    /// <inheritdoc />
    /// <exception cref="IndexOutOfRangeException">A range is outside its view.</exception>
    public static T Dot<T>(ArrayView<T> u, long uStart, ArrayView<T> v, long vStart, int count) where T : unmanaged, IFloatingPointIeee754<T> =>
        count <= 0 ? T.Zero : DenseLanes.Dot<T>(Span(u, uStart, count), Span(v, vStart, count));

    /// <inheritdoc />
    /// <exception cref="IndexOutOfRangeException">A range is outside its view.</exception>
    public static void MultiplyAdd<T>(T s, ArrayView<T> x, long xStart, ArrayView<T> y, long yStart, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count > 0)
            DenseLanes.MultiplyAdd(s, Span(x, xStart, count), Span(y, yStart, count));
    }

    /// <inheritdoc />
    /// <exception cref="IndexOutOfRangeException">A range is outside its view.</exception>
    public static void Product<T>(ArrayView<T> x, long xStart, int k, ArrayView<T> m, long mStart, int mStride, ArrayView<T> mT, long mTStart, int mTStride,
        ArrayView<T> y, long yStart, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (k > 0 && n > 0)
            DenseLanes.Product<T>(Span(x, xStart, k), k, Span(m, mStart, (k - 1) * mStride + n), mStride, Span(mT, mTStart, (n - 1) * mTStride + k), mTStride,
                Span(y, yStart, n), n);
    }

    /// <inheritdoc />
    /// <exception cref="IndexOutOfRangeException">A range is outside its view.</exception>
    public static void OuterSum<T>(ArrayView<T> u, long uStart, int nu, ArrayView<T> v, long vStart, int nv, int rows, ArrayView<T> m, long mStart, int mStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (nu > 0 && nv > 0 && rows > 0)
            DenseLanes.OuterSum<T>(Span(u, uStart, rows * nu), nu, Span(v, vStart, rows * nv), nv, rows, Span(m, mStart, (nu - 1) * mStride + nv), mStride);
    }

    /// <summary>Elements [start, start + count) of the view as a span, both ends checked.</summary>
    /// <exception cref="IndexOutOfRangeException">The range is outside the view.</exception>
    public static Span<T> Span<T>(ArrayView<T> view, long start, int count) where T : unmanaged
    {
        if (count == 0)
            return [];
        if ((ulong)(start + count) > (ulong)view.Length)
            Outside(start + count - 1, view.Length);
        return MemoryMarshal.CreateSpan(ref At(view, start), count);
    }

    // Kept out of line so that At stays small enough to inline.
    private static void Outside(long index, long length) =>
        throw new IndexOutOfRangeException($"index {index} is outside a view of {length} elements");
}
