using ILGPU;

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
        ControlAt(index, a);

    // The body at one index, the arguments by reference: the direct CPU launcher calls it without copying them.
    internal static void ControlAt(Index1D index, in ControlArgs a)
    {
        int row = index;
        ref readonly var s = ref a.State;
        var c = a.Settings;
        if (s.Active[row] == 0)
        {
            // A finished row's last decision must not stay in force: commit and dense output read these flags every step.
            s.Accepted[row] = 0;
            s.NeedsOutput[row] = 0;
            a.Progress[row] = 0;
            return;
        }
        var step = new StepState
        {
            Time = s.Time[row], Step = s.Step[row], PrevTime = s.PrevTime[row], UsedStep = s.UsedStep[row], PrevError = s.PrevError[row],
            Flags = s.Flags[row], AcceptedSteps = s.AcceptedSteps[row], RejectedSteps = s.RejectedSteps[row],
        };
        var status = StepDecision.Decide(s.ErrorNorm[row], ref step, c, c.T0, c.T1, c.Adaptive == 0 ? FixedGrid.Steps(c.T0, c.T1, c.FixedStep) : 0);
        var accepted = step.Accepted;
        s.Time[row] = step.Time;
        s.Step[row] = step.Step;
        s.PrevTime[row] = step.PrevTime;
        s.UsedStep[row] = step.UsedStep;
        s.PrevError[row] = step.PrevError;
        s.Flags[row] = step.Flags;
        s.AcceptedSteps[row] = step.AcceptedSteps;
        s.RejectedSteps[row] = step.RejectedSteps;
        s.Accepted[row] = accepted ? 1 : 0;
        s.NeedsOutput[row] = 0;
        if (accepted)
        {
            var next = s.NextOutput[row];
            var ahead = next < c.OutputCount ? c.Direction * (a.Times[next] - step.Time) : 1.0;
            if (ahead <= 0)
                s.NeedsOutput[row] = ahead < 0 ? OutputInside : OutputAtEnd;
        }
        s.Status[row] = (int)status;
        var running = status == TrajectoryStatus.Running;
        if (!running)
            s.Active[row] = 0;
        a.Progress[row] = running ? (long)(1000.0 * (step.Time - c.T0) / (c.T1 - c.T0)) : 0;
    }
}
