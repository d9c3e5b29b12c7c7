using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>The values of a register-held state of duals, their tangents dropped: component k is the value of component k.</summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TTangent">The tangents.</typeparam>
/// <typeparam name="TDualState">The state of duals.</typeparam>
/// <param name="state">The state of duals.</param>
public readonly struct DualValues<T, TTangent, TDualState>(TDualState state) : IComponentSource<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
    where TDualState : unmanaged, IStateVector<TDualState, Dual<T, TTangent>>
{
    private readonly TDualState _state = state;

    /// <inheritdoc />
    public T this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ComponentAt<Dual<T, TTangent>>.Of(_state, k).Value;
    }
}
