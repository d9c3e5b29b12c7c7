using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;

namespace OdeGpu.Device;

/// <summary>The view's own indexer and plain loops: what ILGPU compiles for every accelerator, and range-checked by ILGPU on the host.</summary>
internal readonly struct ViewIndexer : IViewAccess
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref TElement At<TElement>(ArrayView<TElement> view, long index) where TElement : unmanaged => ref view[index];

    /// <inheritdoc />
    public static T Dot<T>(ArrayView<T> u, long uStart, ArrayView<T> v, long vStart, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        for (var k = 0; k < count; k++)
            sum += u[uStart + k] * v[vStart + k];
        return sum;
    }

    /// <inheritdoc />
    public static void MultiplyAdd<T>(T s, ArrayView<T> x, long xStart, ArrayView<T> y, long yStart, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var k = 0; k < count; k++)
            y[yStart + k] += s * x[xStart + k];
    }
}
