using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>Writes the single tangent of component k to <c>target[offset + k]</c>; accumulates the count written.</summary>
/// <typeparam name="T">The stored scalar.</typeparam>
/// <param name="target">Where the tangents go.</param>
/// <param name="offset">Where component 0's goes.</param>
public readonly struct TangentWriter<T>(ArrayView<T> target, long offset) : IComponentFold<Dual<T, Vec1<T>>, int>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ArrayView<T> _target = target;
    private readonly long _offset = offset;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Add(int accumulated, int k, Dual<T, Vec1<T>> component)
    {
        _target[_offset + k] = component.Tangent.X;
        return accumulated + 1;
    }
}
