namespace OdeGpu.Adjoint;

/// <summary>A loss through a solve and its gradients.</summary>
/// <typeparam name="T">The state scalar.</typeparam>
/// <param name="Loss">L of each row.</param>
/// <param name="Saved">The saved states the loss was computed from.</param>
/// <param name="Gradient">
/// dL/d(initial state), dL/dtheta and dL/d(times) over the solve's grid: t0, the saved times, t1 (column 0 is dL/dt0).
/// </param>
public sealed record LossGradient<T>(T[] Loss, Solution<T> Saved, SolveGradient<T> Gradient) where T : unmanaged;
