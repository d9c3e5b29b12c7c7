namespace OdeGpu.Gradients;

/// <summary>
/// Backpropagation through the solver's own arithmetic: the forward solve records the state and time of every accepted
/// step in device memory, and the backward pass replays each step's stages in reverse, giving the gradient of what was
/// computed to round-off (the step sizes taken as given). Its memory grows with the number of steps: the record starts
/// small and grows, up to the step limit, when a solve needs more.
/// </summary>
public sealed record DiscreteAdjoint : AdjointMethod
{
    /// <summary>
    /// Keep the state of every k-th accepted step only (and every step's time), and recompute the others from these
    /// checkpoints during the backward pass, k steps at a time: the batched mode's memory per row falls from N states to
    /// N / k + 2k, for up to two more forward passes of evaluations (counted in the backward statistics). k = sqrt(N)
    /// gives the least memory. Null, the default, records every state. The fused ensemble mode records every state.
    /// </summary>
    /// <exception cref="ArgumentException">The value is less than 1.</exception>
    public int? CheckpointEvery
    {
        get;
        init => field = value is < 1
            ? throw new ArgumentException($"CheckpointEvery must be at least 1 step, but was {value}", nameof(CheckpointEvery))
            : value;
    }

    /// <summary>
    /// Keep every stage's evaluation of the forward solve in the dynamics' slots
    /// (<c>IDifferentiableDynamics.Evaluate(time, y, dy, slot)</c>, an MLP's or a convolutional block's activations), so
    /// that the backward pass takes each stage's VJP without evaluating the stage again, as backpropagation through a
    /// deep-learning framework's autograd does: one evaluation fewer per stage, for memory that grows with the steps by
    /// one kept evaluation per stage. Needs rows that all take the same steps (fixed steps, or
    /// <see cref="SolveOptions.SharedStep"/>) and every state recorded (no <see cref="CheckpointEvery"/> above 1); the
    /// batched mode only. Dynamics that keep nothing get the same gradient as without.
    /// </summary>
    public bool KeepEvaluations { get; init; }
}
