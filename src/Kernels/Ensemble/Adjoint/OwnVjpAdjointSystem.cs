using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble.Adjoint;

/// <summary>
/// The continuous adjoint's dynamics d[z, a, a_p, a_t]/dt = [f, -a^T df/dz, -a^T df/dp, -a^T df/dt] of one trajectory,
/// from a system's own <see cref="IVjpSystem{T, TState}"/>, the adjoints accumulated in registers.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TState">The forward state.</typeparam>
/// <typeparam name="TParams">The parameters' adjoint vector.</typeparam>
/// <typeparam name="TSystem">The forward system.</typeparam>
public struct OwnVjpAdjointSystem<T, TState, TParams, TSystem> : IOdeSystem<T, AdjointState<T, TState, TParams>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TParams : unmanaged, IStateVector<TParams, T>
    where TSystem : struct, IVjpSystem<T, TState>
{
    /// <summary>The forward system.</summary>
    public TSystem System;

    /// <inheritdoc />
    public readonly int ParameterCount => System.ParameterCount;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T> =>
        System.LoadParameters(parameters);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AdjointState<T, TState, TParams> Evaluate(T t, AdjointState<T, TState, TParams> y)
    {
        var gradient = default(RegisterGradient<T, TParams>);
        var adjoint = System.Vjp(t, y.Z, y.A, ref gradient);
        return new(System.Evaluate(t, y.Z), TState.Scale(T.NegativeOne, adjoint), TParams.Scale(T.NegativeOne, gradient.Parameters), -gradient.Time);
    }
}
