namespace OdeGpu.Flows;

/// <summary>One training batch's loss and its cost.</summary>
/// <param name="Loss">The objective: the negative log-likelihood plus the weighted regularizers, each a mean over the rows.</param>
/// <param name="NegativeLogLikelihood">The mean of -log p(x) over the rows, in nats.</param>
/// <param name="Kinetic">The mean kinetic energy (0 when not carried).</param>
/// <param name="Frobenius">The mean Frobenius integral (0 when not carried).</param>
/// <param name="NfeForward">Evaluations of the forward solves, summed over the blocks.</param>
/// <param name="NfeBackward">Evaluations (VJPs included) of the backward solves, summed over the blocks.</param>
/// <param name="Failed">Rows whose forward or backward solve failed (then the gradient is NaN).</param>
public sealed record FlowLoss(double Loss, double NegativeLogLikelihood, double Kinetic, double Frobenius, double NfeForward, double NfeBackward, int Failed);
