using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Ensemble.Adjoint;

/// <summary>
/// What the fused backward solve does at each output time: z is reset to the forward solve's value there and dL/dz
/// is added to a. Backward output j is forward output <see cref="Last"/> - j. The output time's own gradient
/// dL/dt_i = dL/dz_i . f(t_i, z_i) only ever adds to a_t, so the host accounts for it.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TState">The forward state.</typeparam>
/// <typeparam name="TParams">The parameters' adjoint vector.</typeparam>
public struct AdjointOutputAction<T, TState, TParams> : IOutputAction<T, AdjointState<T, TState, TParams>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TParams : unmanaged, IStateVector<TParams, T>
{
    /// <summary>The forward states at the output times, [time][dim][Count].</summary>
    public ArrayView<T> Forward;

    /// <summary>dL/dz at the output times, [time][dim][Count].</summary>
    public ArrayView<T> Cotangents;

    /// <summary>Trajectories in the launch's buffers.</summary>
    public int Count;

    /// <summary>The index of the last forward output time.</summary>
    public int Last;

    /// <inheritdoc />
    public static bool StopsAtOutputs => true;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly AdjointState<T, TState, TParams> AtOutput(int trajectory, int index, double time, AdjointState<T, TState, TParams> state)
    {
        var offset = (long)(Last - index) * TState.Dimension * Count + trajectory;
        var a = TState.MulAdd(state.A, T.One, TState.Load(Cotangents, offset, Count));
        return new(TState.Load(Forward, offset, Count), a, state.Parameters, state.Time);
    }
}
