using System.Numerics;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>
/// A system that supplies its own vector-Jacobian product, for speed: derivative kernels then call it instead of
/// running <see cref="IOdeSystem{T, TState}.Evaluate"/> on dual numbers with one tangent per input. Write it generic
/// over <typeparamref name="T"/> like Evaluate: run on duals, it gives second derivatives (forward over reverse).
/// </summary>
/// <typeparam name="T">The arithmetic type.</typeparam>
/// <typeparam name="TState">The state vector.</typeparam>
public interface IVjpSystem<T, TState> : IOdeSystem<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    /// <summary>
    /// Returns a^T df/dy at (t, y) with the loaded parameters, and adds a^T df/dp_k and a^T df/dt to
    /// <paramref name="gradient"/> (a system may add to one entry several times, or not at all where it is zero). The
    /// gradient comes by reference so that one held in registers (the fused ensemble adjoint's) accumulates in place.
    /// </summary>
    TState Vjp<TGradient>(T t, TState y, TState a, ref TGradient gradient) where TGradient : struct, IVjpGradient<T>;
}
