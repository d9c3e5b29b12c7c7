using System.Numerics;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>
/// The right-hand side dy/dt = f(t, y, p) of one trajectory, written as device code over a register-held state.
/// ILGPU specializes the implementing struct into the kernels of both modes (one thread per row in the batched
/// mode, the whole fused solve in the ensemble mode), so it must be a struct without classes, exceptions or virtual calls.
/// </summary>
/// <typeparam name="T">The scalar: float or double.</typeparam>
/// <typeparam name="TState">The state vector, e.g. <see cref="Vec3{T}"/>.</typeparam>
public interface IOdeSystem<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    /// <summary>The number of parameters per trajectory.</summary>
    int ParameterCount { get; }

    /// <summary>Returns f(t, y, p).</summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state.</param>
    /// <param name="p">This trajectory's parameters, <see cref="ParameterCount"/> values.</param>
    TState Evaluate(T t, TState y, ArrayView<T> p);
}
