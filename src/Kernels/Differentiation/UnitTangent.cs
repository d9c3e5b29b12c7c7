using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// The components of the unit tangent e_k: 1 at <c>k</c>, 0 elsewhere, and 0 everywhere when k is outside the
/// tangent. Gathered into a tangent vector it is one select per component, branch-free, which folds to constants once
/// ILGPU inlines a constant k.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <param name="k">Which component is 1.</param>
public readonly struct UnitTangent<T>(int k) : IComponentSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _k = k;

    /// <inheritdoc />
    public T this[int j]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => j == _k ? T.One : T.Zero;
    }

    /// <summary>e_k as a tangent vector.</summary>
    /// <param name="k">Which component is 1.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTangent Of<TTangent>(int k) where TTangent : unmanaged, IStateVector<TTangent, T> => TTangent.Gather(new UnitTangent<T>(k));
}
