using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Exponential decay dy/dt = -k y, componentwise, for any state vector. Parameter: k.</summary>
public struct ExpDecay<T, TState> : IOdeSystem<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    /// <summary>The decay rate.</summary>
    public T K;

    /// <inheritdoc />
    public readonly int ParameterCount => 1;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T> => K = parameters[0];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TState Evaluate(T t, TState y) => TState.Scale(-K, y);
}
