using System.Runtime.CompilerServices;

namespace OdeGpu.Batched;

/// <summary>The initial step of Hairer, Norsett and Wanner I, II.4, from scaled RMS norms; shared by both modes.</summary>
public static class FirstStep
{
    /// <summary>The first guess h0 from d0 = ||y0|| and d1 = ||f(t0, y0)||, at most the length of the span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Guess(double d0, double d1, double span) =>
        Math.Min(d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1, span);

    /// <summary>The step magnitude from h0, d1 and d2 = ||f(t0 + h0, y0 + h0 f0) - f0|| / h0, for controller order k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Refine(double h0, double d1, double d2, double k)
    {
        var largest = Math.Max(d1, d2);
        var h1 = largest <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : StepDecision.Power(0.01 / largest, 1.0 / k);
        return Math.Min(100 * h0, h1);
    }
}
