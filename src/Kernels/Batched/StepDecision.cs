using System.Runtime.CompilerServices;
using ILGPU.Algorithms;

namespace OdeGpu.Batched;

/// <summary>Accept or reject one attempt, propose the next step, and end the trajectory when it must: shared by both modes.</summary>
public static class StepDecision
{
    /// <summary>
    /// Decides the attempt whose error norm is <paramref name="err"/> (NaN when the state became non-finite), sets
    /// <see cref="StepState.Accepted"/>, and returns the trajectory's status afterwards: <see cref="TrajectoryStatus.Running"/>
    /// while it goes on. (A flag in the state rather than an out parameter, which ILGPU would put in local memory.)
    /// </summary>
    /// <param name="err">The error norm (ignored by fixed-step solves unless NaN).</param>
    /// <param name="s">The step state, updated.</param>
    /// <param name="c">The control constants.</param>
    /// <param name="t0">The trajectory's initial time (fixed steps land on the nodes of its <see cref="FixedGrid"/>).</param>
    /// <param name="t1">The trajectory's final time.</param>
    /// <param name="gridSteps">
    /// The steps of the fixed grid, <see cref="FixedGrid.Steps"/> of t0, t1 and <see cref="ControlSettings.FixedStep"/>
    /// (ignored by adaptive solves): the caller computes it once per span, since a division and two roundings per step
    /// cost a cheap right-hand side about a tenth of its time on the CPU.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TrajectoryStatus Decide(double err, ref StepState s, in ControlSettings c, double t0, double t1, double gridSteps)
    {
        s.Accepted = false;
        if (double.IsNaN(err))
            return TrajectoryStatus.NonFinite;
        var h = s.Step;
        var last = (s.Flags & StepFlags.LastStep) != 0;
        double factor;
        if (c.Adaptive == 0 || err <= 1.0)
        {
            s.Accepted = true;
            s.AcceptedSteps += 1;
            s.PrevTime = s.Time;
            s.UsedStep = h;
            s.Time = last ? t1
                : c.Adaptive == 0 ? FixedGrid.Node(t0, t1, c.FixedStep, gridSteps, s.AcceptedSteps - c.GridOffset)
                : s.Time + h;
            if (last)
                return TrajectoryStatus.Success;
            factor = c.Adaptive == 0 ? 1.0 : AcceptFactor(err, s.PrevError, (s.Flags & StepFlags.Rejected) != 0, c);
            if (c.Adaptive != 0)
                s.PrevError = Math.Max(err, 1e-4);
            s.Flags &= ~StepFlags.Rejected;
        }
        else
        {
            s.RejectedSteps += 1;
            factor = Math.Max(c.MinFactor, c.Safety * Power(err, -1.0 / c.Order));
            s.Flags |= StepFlags.Rejected;
        }

        var flags = s.Flags;
        s.Step = c.Adaptive == 0
            ? FixedGrid.Step(t0, t1, c.FixedStep, gridSteps, s.AcceptedSteps - c.GridOffset, ref flags)
            : StepLimits.Clip(s.Time, h * factor, t1, c.MaxStep, ref flags);
        s.Flags = flags;
        if (s.AcceptedSteps + s.RejectedSteps >= c.MaxSteps)
            return TrajectoryStatus.MaxStepsReached;
        if ((flags & StepFlags.LastStep) == 0 && TooSmall(s.Step, s.Time, c.MinStep))
            return TrajectoryStatus.StepSizeTooSmall;
        return TrajectoryStatus.Running;
    }

    /// <summary>Growth factor after an accepted step: PI (Hairer, Norsett and Wanner II, IV.2), clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AcceptFactor(double err, double prevErr, bool afterReject, in ControlSettings c)
    {
        var factor = err == 0.0
            ? c.MaxFactor
            : c.Safety * Power(err, -c.Beta1) * Power(prevErr, c.Beta2);
        factor = Math.Min(c.MaxFactor, Math.Max(c.MinFactor, factor));
        // Hairer's rule: no growth right after a rejection.
        return afterReject ? Math.Min(factor, 1.0) : factor;
    }

    /// <summary>
    /// x^exponent for a step-size factor, in single precision: a heuristic factor needs no more, and on GPUs this is
    /// two hardware instructions where double Math.Pow is a long software routine that spills to local memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Power(double x, double exponent) => XMath.Exp2((float)exponent * XMath.Log2((float)x));

    /// <summary>True when a step is below the minimum or too small to move t in double precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TooSmall(double step, double t, double minStep) =>
        Math.Abs(step) < minStep || Math.Abs(step) <= 4.0 * 2.220446049250313e-16 * Math.Abs(t);
}
