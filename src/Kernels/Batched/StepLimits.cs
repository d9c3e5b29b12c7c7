using System.Runtime.CompilerServices;

namespace OdeGpu.Batched;

/// <summary>Bounds a proposed step by the maximum step and by the end of the time span.</summary>
public static class StepLimits
{
    /// <summary>
    /// Returns the step to take from <paramref name="t"/> towards <paramref name="t1"/>: at most
    /// <paramref name="maxStep"/> in magnitude, and ending exactly at <paramref name="t1"/> when it would reach or
    /// pass it (then <see cref="StepFlags.LastStep"/> is set in <paramref name="flags"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Clip(double t, double step, double t1, double maxStep, ref int flags)
    {
        var magnitude = Math.Min(Math.Abs(step), maxStep);
        var remaining = t1 - t;
        if (magnitude >= Math.Abs(remaining))
        {
            flags |= StepFlags.LastStep;
            return remaining;
        }
        flags &= ~StepFlags.LastStep;
        return remaining >= 0 ? magnitude : -magnitude;
    }
}
