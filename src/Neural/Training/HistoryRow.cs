namespace OdeGpu.Neural.Training;

/// <summary>One training iteration, a row of history.csv.</summary>
/// <param name="Iteration">From 1.</param>
/// <param name="Loss">The training batch's loss.</param>
/// <param name="NfeForward">Evaluations of the forward solve, per row.</param>
/// <param name="NfeBackward">Evaluations (VJPs included) of the backward pass, per row.</param>
/// <param name="Seconds">The iteration's wall time.</param>
/// <param name="EvalLoss">The evaluation's loss on the iterations where one ran, else null.</param>
public sealed record HistoryRow(int Iteration, double Loss, double NfeForward, double NfeBackward, double Seconds, double? EvalLoss);
