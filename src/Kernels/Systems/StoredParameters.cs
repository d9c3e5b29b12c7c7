using System.Runtime.CompilerServices;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>Parameters stored in the arithmetic type itself: parameter k is <c>View[Offset + k * Stride]</c>.</summary>
/// <typeparam name="T">The stored and arithmetic type.</typeparam>
/// <param name="view">Every trajectory's parameters.</param>
/// <param name="offset">Where this trajectory's parameter 0 is.</param>
/// <param name="stride">The distance between its consecutive parameters.</param>
public readonly struct StoredParameters<T>(ArrayView<T> view, long offset, long stride) : IParameters<T> where T : unmanaged
{
    private readonly ArrayView<T> _view = view;
    private readonly long _offset = offset, _stride = stride;

    /// <inheritdoc />
    public T this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _view[_offset + k * _stride];
    }
}
