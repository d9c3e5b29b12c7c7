using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// Stored values moving along a stored direction: component k is <c>values[offset + k]</c> with the single tangent
/// <c>direction[offset + k]</c>, so f of these gives f and (df/dy) v together.
/// </summary>
/// <typeparam name="T">The stored scalar.</typeparam>
/// <param name="values">The point y.</param>
/// <param name="direction">The direction v, laid out as the values.</param>
/// <param name="offset">Where component 0 is in both.</param>
public readonly struct DirectionalValues<T>(ArrayView<T> values, ArrayView<T> direction, long offset) : IComponentSource<Dual<T, Vec1<T>>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ArrayView<T> _values = values, _direction = direction;
    private readonly long _offset = offset;

    /// <inheritdoc />
    public Dual<T, Vec1<T>> this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_values[_offset + k], new Vec1<T>(_direction[_offset + k]));
    }
}
