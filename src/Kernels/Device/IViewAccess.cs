using ILGPU;

namespace OdeGpu.Device;

/// <summary>
/// How a kernel body reaches the elements of its views. Bodies that the direct CPU launcher calls take it as their
/// last type parameter: accelerators compile them with <see cref="ViewIndexer"/>, the direct launcher runs them with
/// <see cref="HostViewAccess"/>, so one body serves both.
/// </summary>
internal interface IViewAccess
{
    /// <summary>The element at <paramref name="index"/> of <paramref name="view"/>.</summary>
    static abstract ref TElement At<TElement>(ArrayView<TElement> view, long index) where TElement : unmanaged;
}
