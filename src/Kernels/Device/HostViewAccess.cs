using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace OdeGpu.Device;

/// <summary>
/// Host memory reached through the view's address, for the direct CPU launcher only. ILGPU's indexer asserts on the
/// host that the buffer belongs to a CPU accelerator, through three dependent loads per access; with a few thousand
/// accesses per step of a small batch that was a third of a solve (bench/RESULTS.md). The range stays checked.
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

    // Kept out of line so that At stays small enough to inline.
    private static void Outside(long index, long length) =>
        throw new IndexOutOfRangeException($"index {index} is outside a view of {length} elements");
}
