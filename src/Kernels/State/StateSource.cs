using System.Numerics;
using System.Runtime.CompilerServices;

namespace OdeGpu.State;

/// <summary>A register-held state as a component source: component k is the state's component k (zero past its end).</summary>
/// <typeparam name="T">The component type.</typeparam>
/// <typeparam name="TState">The state.</typeparam>
/// <param name="value">The state.</param>
public readonly struct StateSource<T, TState>(TState value) : IComponentSource<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    private readonly TState _value = value;

    /// <inheritdoc />
    public T this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ComponentAt<T>.Of(_value, k);
    }
}
