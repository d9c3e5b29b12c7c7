using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// A register-held state as independent variables: component k is the state's component k with the unit tangent e_k,
/// so the derivatives along the first tangents are those with respect to the state.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TTangent">The tangents (at least as many as the state has components).</typeparam>
/// <typeparam name="TState">The state.</typeparam>
/// <param name="value">The state.</param>
public readonly struct SeededState<T, TTangent, TState>(TState value) : IComponentSource<Dual<T, TTangent>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
    where TState : unmanaged, IStateVector<TState, T>
{
    private readonly TState _value = value;

    /// <inheritdoc />
    public Dual<T, TTangent> this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(ComponentAt<T>.Of(_value, k), UnitTangent<T>.Of<TTangent>(k));
    }
}
