using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Differentiation;

/// <summary>Stored values as constants: component k is <c>view[offset + k]</c> with zero tangents.</summary>
/// <typeparam name="T">The stored scalar.</typeparam>
/// <typeparam name="TTangent">The tangents.</typeparam>
/// <param name="view">The stored values.</param>
/// <param name="offset">Where component 0 is.</param>
public readonly struct ConstantValues<T, TTangent>(ArrayView<T> view, long offset)
    : IComponentSource<Dual<T, TTangent>>, IParameters<Dual<T, TTangent>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
{
    private readonly ArrayView<T> _view = view;
    private readonly long _offset = offset;

    /// <inheritdoc cref="IComponentSource{T}.this" />
    public Dual<T, TTangent> this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_view[_offset + k]);
    }
}
