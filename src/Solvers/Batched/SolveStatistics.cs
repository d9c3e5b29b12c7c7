namespace OdeGpu.Batched;

/// <summary>Work done per trajectory and in total.</summary>
/// <param name="Evaluations">Right-hand-side evaluations charged to each row.</param>
/// <param name="AcceptedSteps">Accepted steps per row.</param>
/// <param name="RejectedSteps">Rejected steps per row.</param>
/// <param name="HostIterations">Iterations of the host loop: batch steps in the batched mode, kernel slices in the ensemble mode.</param>
public sealed record SolveStatistics(int[] Evaluations, int[] AcceptedSteps, int[] RejectedSteps, int HostIterations)
{
    /// <summary>Sum of <see cref="Evaluations"/>.</summary>
    public long TotalEvaluations => Evaluations.Sum(x => (long)x);

    /// <summary>Sum of <see cref="AcceptedSteps"/>.</summary>
    public long TotalAccepted => AcceptedSteps.Sum(x => (long)x);

    /// <summary>Sum of <see cref="RejectedSteps"/>.</summary>
    public long TotalRejected => RejectedSteps.Sum(x => (long)x);
}
