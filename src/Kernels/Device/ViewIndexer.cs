using System.Runtime.CompilerServices;
using ILGPU;

namespace OdeGpu.Device;

/// <summary>The view's own indexer: what ILGPU compiles for every accelerator, and range-checked by ILGPU on the host.</summary>
internal readonly struct ViewIndexer : IViewAccess
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref TElement At<TElement>(ArrayView<TElement> view, long index) where TElement : unmanaged => ref view[index];
}
