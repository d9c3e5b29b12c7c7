namespace OdeGpu.Batched;

/// <summary>
/// The step bookkeeping of one trajectory: in registers in the fused ensemble kernel, loaded from and stored to
/// <see cref="RowState"/> by the batched controller.
/// </summary>
public struct StepState
{
    /// <summary>Current time (the start of the next attempt).</summary>
    public double Time;

    /// <summary>Signed size of the next attempt.</summary>
    public double Step;

    /// <summary>Start of the step just accepted.</summary>
    public double PrevTime;

    /// <summary>Signed size of the step just accepted.</summary>
    public double UsedStep;

    /// <summary>Error norm of the last accepted step (PI controller memory).</summary>
    public double PrevError;

    /// <summary><see cref="StepFlags"/> bits.</summary>
    public int Flags;

    /// <summary>Accepted steps so far.</summary>
    public int AcceptedSteps;

    /// <summary>Rejected steps so far.</summary>
    public int RejectedSteps;

    /// <summary>True when the last attempt was accepted.</summary>
    public bool Accepted;
}
