using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Differentiation;

/// <summary>
/// Stored values as independent variables: component k is <c>view[offset + k]</c> with the unit tangent
/// e_(seed + k), so the derivatives along tangent <c>seed + k</c> are those with respect to this value (a value whose
/// index falls outside the tangent is a constant). Serves as a state source and as a parameter source.
/// </summary>
/// <typeparam name="T">The stored scalar.</typeparam>
/// <typeparam name="TTangent">The tangents.</typeparam>
/// <param name="view">The stored values.</param>
/// <param name="offset">Where component 0 is.</param>
/// <param name="seed">The tangent index of component 0 (may be negative).</param>
public readonly struct SeededValues<T, TTangent>(ArrayView<T> view, long offset, int seed)
    : IComponentSource<Dual<T, TTangent>>, IParameters<Dual<T, TTangent>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
{
    private readonly ArrayView<T> _view = view;
    private readonly long _offset = offset;
    private readonly int _seed = seed;

    /// <inheritdoc cref="IComponentSource{T}.this" />
    public Dual<T, TTangent> this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_view[_offset + k], UnitTangent<T>.Of<TTangent>(_seed + k));
    }
}
