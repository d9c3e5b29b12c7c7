namespace OdeGpu.Flows.Training;

/// <summary>One training iteration of a flow, a row of history.csv.</summary>
/// <param name="Iteration">From 1.</param>
/// <param name="Loss">The batch's objective (negative log-likelihood plus weighted regularizers).</param>
/// <param name="NegativeLogLikelihood">The batch's mean -log p(x), in nats.</param>
/// <param name="Kinetic">The batch's mean kinetic energy (0 when not carried).</param>
/// <param name="Frobenius">The batch's mean Frobenius integral (0 when not carried).</param>
/// <param name="NfeForward">Evaluations of the forward solves.</param>
/// <param name="NfeBackward">Evaluations of the backward solves.</param>
/// <param name="EndTime">The first block's T after the step.</param>
/// <param name="Seconds">The iteration's wall time.</param>
/// <param name="TestNll">The test set's mean -log p(x) on the iterations where it was measured, else null.</param>
/// <param name="Failed">Rows whose solve failed; the step was skipped when any did.</param>
public sealed record FlowHistoryRow(int Iteration, double Loss, double NegativeLogLikelihood, double Kinetic, double Frobenius, double NfeForward, double NfeBackward,
    double EndTime, double Seconds, double? TestNll, int Failed);
