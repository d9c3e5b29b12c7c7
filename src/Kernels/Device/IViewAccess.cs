using System.Numerics;
using ILGPU;

namespace OdeGpu.Device;

/// <summary>
/// How a kernel body reaches the elements of its views, and runs the two inner loops of a dense row: a dot product and
/// a scaled add. Bodies that the direct CPU launcher calls take it as their last type parameter: accelerators compile
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
}
