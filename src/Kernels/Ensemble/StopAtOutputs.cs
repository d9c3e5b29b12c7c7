using System.Numerics;
using OdeGpu.State;

namespace OdeGpu.Ensemble;

/// <summary>
/// Steps end exactly on the output times and the state goes on unchanged: every output is then the end of an accepted
/// step, which is what the fused discrete adjoint differentiates (no interpolant between its outputs and its steps).
/// </summary>
public readonly struct StopAtOutputs<T, TState> : IOutputAction<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    /// <inheritdoc />
    public static bool StopsAtOutputs => true;

    /// <inheritdoc />
    public TState AtOutput(int trajectory, int index, double time, TState state) => state;
}
