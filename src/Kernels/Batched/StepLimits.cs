namespace OdeGpu.Batched;

/// <summary>Bounds a proposed step by the maximum step and by the end of the time span.</summary>
public static class StepLimits
{
    /// <summary>
    /// Returns the step to take from <paramref name="t"/>: at most <see cref="ControlSettings.MaxStep"/> in magnitude,
    /// pointing in the solve's direction, and ending exactly at the final time when it would reach or pass it
    /// (then <see cref="StepFlags.LastStep"/> is set in <paramref name="flags"/>).
    /// </summary>
    public static double Clip(double t, double step, in ControlSettings settings, ref int flags)
    {
        var magnitude = Math.Min(Math.Abs(step), settings.MaxStep);
        var remaining = settings.T1 - t;
        if (magnitude >= Math.Abs(remaining))
        {
            flags |= StepFlags.LastStep;
            return remaining;
        }
        flags &= ~StepFlags.LastStep;
        return settings.Direction * magnitude;
    }
}
