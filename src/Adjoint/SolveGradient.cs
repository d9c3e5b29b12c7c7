using OdeGpu.Batched;

namespace OdeGpu.Adjoint;

/// <summary>
/// The gradients of a loss L through a solve, given dL/dz at its output times: with respect to the initial states,
/// the parameters and the output times.
/// </summary>
/// <typeparam name="T">The state scalar.</typeparam>
/// <param name="Forward">The forward solve.</param>
/// <param name="InitialState">dL/d(initial state), [rows, dim].</param>
/// <param name="Parameters">Each row's dL/dtheta, [rows, parameters]; [rows, 0] when the parameters are shared, whose gradient is the batch's.</param>
/// <param name="SharedParameters">With shared parameters, dL/dtheta of the whole batch (NaN when a row failed); otherwise null.</param>
/// <param name="Times">dL/d(output time), [rows, times]; column 0 is dL/dt0.</param>
/// <param name="Status">Each row's status: the forward solve's when it failed, else the backward solve's. Failed rows hold NaN.</param>
/// <param name="Backward">The backward solve's statistics.</param>
public sealed record SolveGradient<T>(
    Solution<T> Forward,
    T[,] InitialState,
    T[,] Parameters,
    T[]? SharedParameters,
    T[,] Times,
    TrajectoryStatus[] Status,
    SolveStatistics Backward) where T : unmanaged;
