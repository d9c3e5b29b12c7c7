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

    /// <inheritdoc />
    public static void Product<T>(ArrayView<T> x, long xStart, int k, ArrayView<T> m, long mStart, int mStride, ArrayView<T> mT, long mTStart, int mTStride,
        ArrayView<T> y, long yStart, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < n; j++)
            y[yStart + j] += Dot(mT, mTStart + (long)j * mTStride, x, xStart, k);
    }

    /// <inheritdoc />
    public static void OuterSum<T>(ArrayView<T> u, long uStart, int nu, ArrayView<T> v, long vStart, int nv, int rows, ArrayView<T> m, long mStart, int mStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < nu; i++)
        {
            for (var j = 0; j < nv; j++)
            {
                var sum = T.Zero;
                for (var r = 0; r < rows; r++)
                    sum += u[uStart + (long)r * nu + i] * v[vStart + (long)r * nv + j];
                m[mStart + (long)i * mStride + j] += sum;
            }
        }
    }
}
