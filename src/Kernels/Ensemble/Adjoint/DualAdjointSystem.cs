using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Differentiation;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble.Adjoint;

/// <summary>
/// The continuous adjoint's dynamics d[z, a, a_p, a_t]/dt = [f, -a^T df/dz, -a^T df/dp, -a^T df/dt] of one trajectory,
/// from one evaluation of the system on duals whose tangents are the columns [z (D) | t (1) | p (P)]: the values are f
/// and the tangents weighted by a are a^T [df/dz | df/dt | df/dp], all in registers.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TState">The forward state.</typeparam>
/// <typeparam name="TParams">The parameters' adjoint vector.</typeparam>
/// <typeparam name="TTangent">The tangents: D + 1 + P of them.</typeparam>
/// <typeparam name="TDualState">The forward state on duals.</typeparam>
/// <typeparam name="TDualSystem">The forward system on duals, its fields constant duals.</typeparam>
public struct DualAdjointSystem<T, TState, TParams, TTangent, TDualState, TDualSystem> : IOdeSystem<T, AdjointState<T, TState, TParams>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TParams : unmanaged, IStateVector<TParams, T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
    where TDualState : unmanaged, IStateVector<TDualState, Dual<T, TTangent>>
    where TDualSystem : struct, IOdeSystem<Dual<T, TTangent>, TDualState>
{
    /// <summary>The forward system on duals.</summary>
    public TDualSystem System;

    /// <inheritdoc />
    public readonly int ParameterCount => System.ParameterCount;

    /// <summary>Loads the parameters seeded once per trajectory, parameter k with the tangent of column D + 1 + k.</summary>
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T> =>
        System.LoadParameters(new SeededParameters<T, TTangent, TParameters>(parameters, TState.Dimension + 1));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AdjointState<T, TState, TParams> Evaluate(T t, AdjointState<T, TState, TParams> y)
    {
        var dimension = TState.Dimension;
        var f = System.Evaluate(new Dual<T, TTangent>(t, UnitTangent<T>.Of<TTangent>(dimension)), TDualState.Gather(new SeededState<T, TTangent, TState>(y.Z)));
        var columns = new StateSource<T, TTangent>(TDualState.Fold(f, default(TTangent), new StateCotangentSum<T, TTangent, TState>(y.A)));
        return new(
            TState.Gather(new DualValues<T, TTangent, TDualState>(f)),
            TState.Scale(T.NegativeOne, TState.Gather(columns)),
            TParams.Scale(T.NegativeOne, TParams.Gather(new ShiftedSource<T, StateSource<T, TTangent>>(columns, dimension + 1))),
            -columns[dimension]);
    }
}
