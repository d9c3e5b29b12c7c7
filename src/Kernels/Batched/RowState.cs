using ILGPU;

namespace OdeGpu.Batched;

/// <summary>The per-row bookkeeping of a batched solve, one element per row in each view.</summary>
public struct RowState
{
    /// <summary>Current time of the row (the start of the next step).</summary>
    public ArrayView<double> Time;

    /// <summary>The signed step size the next attempt will take.</summary>
    public ArrayView<double> Step;

    /// <summary>Start time of the step just accepted (for dense output).</summary>
    public ArrayView<double> PrevTime;

    /// <summary>Signed size of the step just accepted (for dense output).</summary>
    public ArrayView<double> UsedStep;

    /// <summary>Error norm of the last accepted step, for the PI controller.</summary>
    public ArrayView<double> PrevError;

    /// <summary>Error norm of the current attempt.</summary>
    public ArrayView<double> ErrorNorm;

    /// <summary>A <see cref="TrajectoryStatus"/> per row.</summary>
    public ArrayView<int> Status;

    /// <summary>1 while the row is integrating, 0 once it has ended.</summary>
    public ArrayView<int> Active;

    /// <summary>1 when the current attempt was accepted.</summary>
    public ArrayView<int> Accepted;

    /// <summary>0: no output in the accepted step; 1: it ends on one; 2: one lies inside it.</summary>
    public ArrayView<int> NeedsOutput;

    /// <summary>Index of the next output time to write.</summary>
    public ArrayView<int> NextOutput;

    /// <summary>Accepted steps so far.</summary>
    public ArrayView<int> AcceptedSteps;

    /// <summary>Rejected steps so far.</summary>
    public ArrayView<int> RejectedSteps;

    /// <summary>Right-hand-side evaluations charged to the row.</summary>
    public ArrayView<int> Evaluations;

    /// <summary>Bit flags: <see cref="StepFlags.LastStep"/>, <see cref="StepFlags.Rejected"/>.</summary>
    public ArrayView<int> Flags;
}

/// <summary>Bits of <see cref="RowState.Flags"/>.</summary>
public static class StepFlags
{
    /// <summary>The next step ends exactly at the final time.</summary>
    public const int LastStep = 1;

    /// <summary>The previous attempt was rejected, so the next step may not grow.</summary>
    public const int Rejected = 2;
}
