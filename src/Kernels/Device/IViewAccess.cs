using System.Numerics;
using ILGPU;

namespace OdeGpu.Device;

/// <summary>
/// How a kernel body reaches the elements of its views, and runs the inner loops of a dense layer on one row: a dot
/// product, a scaled add, a vector-matrix product and a sum of outer products. Bodies that the direct CPU launcher calls take it as their last type parameter: accelerators compile
/// them with <see cref="ViewIndexer"/> (plain loops), the direct launcher runs them with <see cref="HostViewAccess"/>
/// (the loops in <see cref="Vector{T}"/> lanes), so one body serves both.
/// </summary>
internal interface IViewAccess
{
    /// <summary>The element at <paramref name="index"/> of <paramref name="view"/>.</summary>
    static abstract ref TElement At<TElement>(ArrayView<TElement> view, long index) where TElement : unmanaged;

    /// <summary>sum over k &lt; count of u[uStart + k] v[vStart + k].</summary>
    static abstract T Dot<T>(ArrayView<T> u, long uStart, ArrayView<T> v, long vStart, int count) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>y[yStart + k] += s x[xStart + k] for k &lt; count.</summary>
    static abstract void MultiplyAdd<T>(T s, ArrayView<T> x, long xStart, ArrayView<T> y, long yStart, int count) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// y[yStart + j] += sum over i &lt; k of x[xStart + i] M[i, j] for j &lt; n, the matrix given both ways:
    /// M[i, j] = m[mStart + i mStride + j] = mT[mTStart + j mTStride + i] (each form is read where it runs along memory).
    /// </summary>
    static abstract void Product<T>(ArrayView<T> x, long xStart, int k, ArrayView<T> m, long mStart, int mStride, ArrayView<T> mT, long mTStart, int mTStride,
        ArrayView<T> y, long yStart, int n) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>m[mStart + i mStride + j] += sum over r &lt; rows of u[uStart + r nu + i] v[vStart + r nv + j], for i &lt; nu and j &lt; nv.</summary>
    static abstract void OuterSum<T>(ArrayView<T> u, long uStart, int nu, ArrayView<T> v, long vStart, int nv, int rows, ArrayView<T> m, long mStart, int mStride)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
