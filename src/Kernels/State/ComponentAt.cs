using System.Numerics;
using System.Runtime.CompilerServices;

namespace OdeGpu.State;

/// <summary>
/// Reads component k of a register-held state without indexing it: a fold that keeps the component whose index is k.
/// With k a constant, every comparison folds once ILGPU inlines it, leaving a plain register read.
/// </summary>
/// <typeparam name="T">The component type.</typeparam>
/// <param name="k">The component wanted.</param>
public readonly struct ComponentAt<T>(int k) : IComponentFold<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _k = k;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Add(T accumulated, int k, T component) => k == _k ? component : accumulated;

    /// <summary>Component <paramref name="k"/> of <paramref name="value"/>, or zero when k is outside it.</summary>
    /// <param name="value">The state.</param>
    /// <param name="k">The component wanted.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<TState>(TState value, int k) where TState : unmanaged, IStateVector<TState, T> =>
        TState.Fold(value, T.Zero, new ComponentAt<T>(k));
}
