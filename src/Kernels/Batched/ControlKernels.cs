using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Batched;

/// <summary>Arguments of <see cref="ControlKernels.Control"/>.</summary>
public struct ControlArgs
{
    /// <summary>Per-row bookkeeping.</summary>
    public RowState State;

    /// <summary>Step-size control constants.</summary>
    public ControlSettings Settings;

    /// <summary>The output times.</summary>
    public ArrayView<double> Times;

    /// <summary>
    /// Per row: the share of the span covered, in thousandths, while it runs (0 once it has ended). Like the flags in
    /// <see cref="State"/>, the host reduces it over the rows; no same-address atomics, which serialize on GPUs.
    /// </summary>
    public ArrayView<long> Progress;
}

/// <summary>Per-row accept/reject, the next step size and the end-of-solve statuses.</summary>
public static class ControlKernels
{
    /// <summary><see cref="RowState.NeedsOutput"/>: the accepted step ends exactly on an output time.</summary>
    public const int OutputAtEnd = 1;

    /// <summary><see cref="RowState.NeedsOutput"/>: an output time lies inside the accepted step (the interpolant's extra stages are needed).</summary>
    public const int OutputInside = 2;

    /// <summary>Decides the current attempt of one row and proposes its next step.</summary>
    public static void Control(Index1D index, ControlArgs a) =>
        ControlAt<ViewIndexer>(index, a);

    // The body at one index, the arguments by reference: the direct CPU launcher calls it without copying them.
    internal static void ControlAt<TAccess>(Index1D index, in ControlArgs a) where TAccess : struct, IViewAccess
    {
        int row = index;
        ref readonly var s = ref a.State;
        var c = a.Settings;
        if (TAccess.At(s.Active, row) == 0)
        {
            // A finished row's last decision must not stay in force: commit and dense output read these flags every step.
            TAccess.At(s.Accepted, row) = 0;
            TAccess.At(s.NeedsOutput, row) = 0;
            TAccess.At(a.Progress, row) = 0;
            return;
        }
        var step = new StepState
        {
            Time = TAccess.At(s.Time, row), Step = TAccess.At(s.Step, row), PrevTime = TAccess.At(s.PrevTime, row),
            UsedStep = TAccess.At(s.UsedStep, row), PrevError = TAccess.At(s.PrevError, row), Flags = TAccess.At(s.Flags, row),
            AcceptedSteps = TAccess.At(s.AcceptedSteps, row), RejectedSteps = TAccess.At(s.RejectedSteps, row),
        };
        var status = StepDecision.Decide(TAccess.At(s.ErrorNorm, row), ref step, c, c.T0, c.T1, c.Adaptive == 0 ? FixedGrid.Steps(c.T0, c.T1, c.FixedStep) : 0);
        var accepted = step.Accepted;
        TAccess.At(s.Time, row) = step.Time;
        TAccess.At(s.Step, row) = step.Step;
        TAccess.At(s.PrevTime, row) = step.PrevTime;
        TAccess.At(s.UsedStep, row) = step.UsedStep;
        TAccess.At(s.PrevError, row) = step.PrevError;
        TAccess.At(s.Flags, row) = step.Flags;
        TAccess.At(s.AcceptedSteps, row) = step.AcceptedSteps;
        TAccess.At(s.RejectedSteps, row) = step.RejectedSteps;
        TAccess.At(s.Accepted, row) = accepted ? 1 : 0;
        TAccess.At(s.NeedsOutput, row) = 0;
        if (accepted)
        {
            var next = TAccess.At(s.NextOutput, row);
            var ahead = next < c.OutputCount ? c.Direction * (TAccess.At(a.Times, next) - step.Time) : 1.0;
            if (ahead <= 0)
                TAccess.At(s.NeedsOutput, row) = ahead < 0 ? OutputInside : OutputAtEnd;
        }
        TAccess.At(s.Status, row) = (int)status;
        var running = status == TrajectoryStatus.Running;
        if (!running)
            TAccess.At(s.Active, row) = 0;
        TAccess.At(a.Progress, row) = running ? (long)(1000.0 * (step.Time - c.T0) / (c.T1 - c.T0)) : 0;
    }
}
