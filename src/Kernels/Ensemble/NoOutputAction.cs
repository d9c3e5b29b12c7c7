using System.Numerics;
using OdeGpu.State;

namespace OdeGpu.Ensemble;

/// <summary>No action at output times: steps cross them and the outputs come from dense output.</summary>
public readonly struct NoOutputAction<T, TState> : IOutputAction<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    /// <inheritdoc />
    public static bool StopsAtOutputs => false;

    /// <inheritdoc />
    public TState AtOutput(int trajectory, int index, double time, TState state) => state;
}
