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
    /// Written with atomic integer adds: [0] rows still running, [1] rows whose accepted step ends on an output time,
    /// [2] rows that accepted, [3] the sum of running rows' progress in thousandths of the span, [4] rows with an
    /// output time inside the accepted step.
    /// </summary>
    public ArrayView<int> Counters;
}

/// <summary>Per-row accept/reject, the next step size and the end-of-solve statuses.</summary>
public static class ControlKernels
{
    /// <summary>Index of the counter of running rows.</summary>
    public const int Running = 0;

    /// <summary>Index of the counter of rows whose step ends exactly on an output time.</summary>
    public const int NeedOutput = 1;

    /// <summary>Index of the counter of rows with an output time inside the step (the interpolant's extra stages are needed).</summary>
    public const int NeedInterpolant = 4;

    /// <summary>Index of the counter of rows that accepted this step.</summary>
    public const int AcceptedRows = 2;

    /// <summary>Index of the progress counter (thousandths of the span, summed over running rows).</summary>
    public const int Progress = 3;

    /// <summary>Number of counters.</summary>
    public const int CounterCount = 5;

    /// <summary>Decides the current attempt of one row and proposes its next step.</summary>
    public static void Control(Index1D index, ControlArgs a)
    {
        int row = index;
        var s = a.State;
        var c = a.Settings;
        if (s.Active[row] == 0)
        {
            // A finished row's last decision must not stay in force: commit and dense output read these flags every step.
            s.Accepted[row] = 0;
            s.NeedsOutput[row] = 0;
            return;
        }
        var step = new StepState
        {
            Time = s.Time[row], Step = s.Step[row], PrevTime = s.PrevTime[row], UsedStep = s.UsedStep[row], PrevError = s.PrevError[row],
            Flags = s.Flags[row], AcceptedSteps = s.AcceptedSteps[row], RejectedSteps = s.RejectedSteps[row],
        };
        var status = StepDecision.Decide(s.ErrorNorm[row], ref step, c, c.T0, c.T1);
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
            Atomic.Add(ref a.Counters[AcceptedRows], 1);
            var next = s.NextOutput[row];
            var ahead = next < c.OutputCount ? c.Direction * (a.Times[next] - step.Time) : 1.0;
            if (ahead <= 0)
            {
                // 1: the step ends on an output time; 2: an output lies inside the step and needs the interpolant
                s.NeedsOutput[row] = ahead < 0 ? 2 : 1;
                Atomic.Add(ref a.Counters[ahead < 0 ? NeedInterpolant : NeedOutput], 1);
            }
        }
        s.Status[row] = (int)status;
        if (status != TrajectoryStatus.Running)
        {
            s.Active[row] = 0;
            return;
        }
        Atomic.Add(ref a.Counters[Running], 1);
        Atomic.Add(ref a.Counters[Progress], (int)(1000.0 * (step.Time - c.T0) / (c.T1 - c.T0)));
    }
}
