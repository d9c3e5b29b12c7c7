namespace OdeGpu.Gradients;

/// <summary>
/// Backpropagation through the solver's own arithmetic: the forward solve records the state and time of every accepted
/// step in device memory, and the backward pass replays each step's stages in reverse, giving the gradient of what was
/// computed to round-off (the step sizes taken as given). Its memory grows with the number of steps: the record starts
/// small and grows, up to the step limit, when a solve needs more.
/// </summary>
public sealed record DiscreteAdjoint : AdjointMethod;
