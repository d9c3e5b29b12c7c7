using System.Numerics;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Exponential decay dy/dt = -k y, componentwise, for any state vector. Parameter: k.</summary>
public readonly struct ExpDecay<T, TState> : IOdeSystem<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    /// <inheritdoc />
    public int ParameterCount => 1;

    /// <inheritdoc />
    public TState Evaluate(T t, TState y, ArrayView<T> p) => TState.Scale(-p[0], y);
}
