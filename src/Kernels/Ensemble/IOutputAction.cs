using System.Numerics;
using OdeGpu.State;

namespace OdeGpu.Ensemble;

/// <summary>
/// Device code the fused kernel runs when a trajectory reaches one of its output times: it sees the state there and
/// returns the state to go on from (add a loss gradient, reset part of the state). An action that
/// <see cref="StopsAtOutputs"/> makes each trajectory's steps end exactly on its output times, so the change takes
/// effect from there on; it is a struct, specialized into the kernel like the system, and may hold device views.
/// </summary>
/// <typeparam name="T">The state scalar.</typeparam>
/// <typeparam name="TState">The state vector.</typeparam>
public interface IOutputAction<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    /// <summary>False only for <see cref="NoOutputAction{T, TState}"/>: steps then cross output times (dense output).</summary>
    static abstract bool StopsAtOutputs { get; }

    /// <summary>Called at output time <paramref name="index"/> (1 to times - 1) of a trajectory, after its output is stored.</summary>
    /// <param name="trajectory">The trajectory's index in this launch's buffers (its chunk).</param>
    /// <param name="index">The output time's index.</param>
    /// <param name="time">The output time.</param>
    /// <param name="state">The state there.</param>
    /// <returns>The state the solve goes on from.</returns>
    TState AtOutput(int trajectory, int index, double time, TState state);
}
