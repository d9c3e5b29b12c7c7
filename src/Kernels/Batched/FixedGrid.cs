using System.Runtime.CompilerServices;

namespace OdeGpu.Batched;

/// <summary>
/// The nodes of a fixed-step solve: t_k = t0 + k dt (computed, never accumulated) for k &lt; n and t_n = t1 exactly,
/// where n = round(|t1 - t0| / dt) when that ratio is within 1e-9 (relative) of a whole number, else its ceiling, so
/// a span that is a multiple of dt up to round-off takes no extra sliver step. Shared by both modes.
/// </summary>
public static class FixedGrid
{
    /// <summary>Relative distance from a whole number within which the ratio span / dt counts as whole.</summary>
    public const double WholeTolerance = 1e-9;

    /// <summary>The number of steps n from <paramref name="t0"/> to <paramref name="t1"/> (at least 1), as a whole double.</summary>
    /// <param name="t0">Initial time.</param>
    /// <param name="t1">Final time (before or after <paramref name="t0"/>).</param>
    /// <param name="dt">The step magnitude, positive.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Steps(double t0, double t1, double dt)
    {
        var ratio = Math.Abs(t1 - t0) / dt;
        var nearest = Math.Round(ratio);
        var n = Math.Abs(ratio - nearest) <= WholeTolerance * nearest ? nearest : Math.Ceiling(ratio);
        return Math.Max(n, 1.0);
    }

    /// <summary>Node <paramref name="k"/> of the grid of <paramref name="n"/> steps: t0 + k dt towards t1, and t1 for k &gt;= n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Node(double t0, double t1, double dt, double n, int k) =>
        k >= n ? t1 : t0 + k * (t1 >= t0 ? dt : -dt);

    /// <summary>
    /// The signed step from node <paramref name="k"/> to node k + 1 of the grid of <paramref name="n"/> steps
    /// (<see cref="Steps"/>); sets <see cref="StepFlags.LastStep"/> in <paramref name="flags"/> when node k + 1 is t1,
    /// and clears it otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Step(double t0, double t1, double dt, double n, int k, ref int flags)
    {
        if (k + 1 >= n)
            flags |= StepFlags.LastStep;
        else
            flags &= ~StepFlags.LastStep;
        return Node(t0, t1, dt, n, k + 1) - Node(t0, t1, dt, n, k);
    }
}
