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
    /// Written with atomic integer adds: [0] rows still running, [1] rows whose accepted step covers an output time,
    /// [2] rows that accepted, [3] the sum of running rows' progress in thousandths of the span.
    /// </summary>
    public ArrayView<int> Counters;
}

/// <summary>Per-row accept/reject, the next step size and the end-of-solve statuses.</summary>
public static class ControlKernels
{
    /// <summary>Index of the counter of running rows.</summary>
    public const int Running = 0;

    /// <summary>Index of the counter of rows that need dense output this step.</summary>
    public const int NeedDense = 1;

    /// <summary>Index of the counter of rows that accepted this step.</summary>
    public const int AcceptedRows = 2;

    /// <summary>Index of the progress counter (thousandths of the span, summed over running rows).</summary>
    public const int Progress = 3;

    /// <summary>Number of counters.</summary>
    public const int CounterCount = 4;

    /// <summary>Decides the current attempt of one row and proposes its next step.</summary>
    public static void Control(Index1D index, ControlArgs a)
    {
        int row = index;
        var s = a.State;
        var c = a.Settings;
        if (s.Active[row] == 0)
            return;
        s.Accepted[row] = 0;
        s.NeedsOutput[row] = 0;
        var h = s.Step[row];
        var t = s.Time[row];
        var err = s.ErrorNorm[row];
        var flags = s.Flags[row];
        if (double.IsNaN(err))
        {
            Finish(s, row, TrajectoryStatus.NonFinite);
            return;
        }

        double factor;
        if (c.Adaptive == 0 || err <= 1.0)
        {
            s.AcceptedSteps[row] += 1;
            s.PrevTime[row] = t;
            s.UsedStep[row] = h;
            t = (flags & StepFlags.LastStep) != 0 ? c.T1 : t + h;
            s.Time[row] = t;
            s.Accepted[row] = 1;
            Atomic.Add(ref a.Counters[AcceptedRows], 1);
            var next = s.NextOutput[row];
            if (next < c.OutputCount && c.Direction * (a.Times[next] - t) <= 0)
            {
                s.NeedsOutput[row] = 1;
                Atomic.Add(ref a.Counters[NeedDense], 1);
            }
            if ((flags & StepFlags.LastStep) != 0)
            {
                Finish(s, row, TrajectoryStatus.Success);
                return;
            }
            factor = c.Adaptive == 0 ? 1.0 : AcceptFactor(err, s.PrevError[row], (flags & StepFlags.Rejected) != 0, c);
            if (c.Adaptive != 0)
                s.PrevError[row] = Math.Max(err, 1e-4);
            flags &= ~StepFlags.Rejected;
        }
        else
        {
            s.RejectedSteps[row] += 1;
            factor = Math.Max(c.MinFactor, c.Safety * Math.Pow(err, -1.0 / c.Order));
            flags |= StepFlags.Rejected;
        }

        var proposed = c.Adaptive == 0 ? c.Direction * c.FixedStep : h * factor;
        var step = StepLimits.Clip(t, proposed, c, ref flags);
        s.Step[row] = step;
        s.Flags[row] = flags;
        if (s.AcceptedSteps[row] + s.RejectedSteps[row] >= c.MaxSteps)
            Finish(s, row, TrajectoryStatus.MaxStepsReached);
        else if ((flags & StepFlags.LastStep) == 0 && TooSmall(step, t, c.MinStep))
            Finish(s, row, TrajectoryStatus.StepSizeTooSmall);
        else
        {
            Atomic.Add(ref a.Counters[Running], 1);
            Atomic.Add(ref a.Counters[Progress], (int)(1000.0 * (t - c.T0) / (c.T1 - c.T0)));
        }
    }

    /// <summary>Growth factor after an accepted step: PI (Hairer, Norsett and Wanner II, IV.2), clamped.</summary>
    public static double AcceptFactor(double err, double prevErr, bool afterReject, in ControlSettings c)
    {
        var factor = err == 0.0
            ? c.MaxFactor
            : c.Safety * Math.Pow(err, -c.Beta1) * Math.Pow(prevErr, c.Beta2);
        factor = Math.Min(c.MaxFactor, Math.Max(c.MinFactor, factor));
        // Hairer's rule: no growth right after a rejection.
        return afterReject ? Math.Min(factor, 1.0) : factor;
    }

    /// <summary>True when a step is below the minimum or too small to move t in double precision.</summary>
    public static bool TooSmall(double step, double t, double minStep) =>
        Math.Abs(step) < minStep || Math.Abs(step) <= 4.0 * 2.220446049250313e-16 * Math.Abs(t);

    private static void Finish(RowState s, int row, TrajectoryStatus status)
    {
        s.Status[row] = (int)status;
        s.Active[row] = 0;
    }
}
