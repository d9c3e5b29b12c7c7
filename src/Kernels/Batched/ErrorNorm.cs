using System.Runtime.CompilerServices;

namespace OdeGpu.Batched;

/// <summary>
/// The error norm both modes hand to the controller. Each component's scaled error e / (atol + rtol max(|y0|, |y1|))
/// and the sum of their squares are computed in the state's precision T, in component order (as
/// <c>IStateVector.ScaledSquares</c> does in the fused kernel); only the sums enter this double-precision formula.
/// </summary>
public static class ErrorNorm
{
    /// <summary>
    /// RMS of the scaled errors from their sum of squares over <paramref name="count"/> components; DOP853
    /// (<paramref name="twoEstimates"/> = 1) blends its fifth- and third-order sums as Hairer's code does. An
    /// overflowed sum stays infinite (a rejection), rather than becoming the NaN of inf / inf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FromSums(double sum, double sum3, int count, int twoEstimates)
    {
        if (double.IsPositiveInfinity(sum) || double.IsPositiveInfinity(sum3))
            return double.PositiveInfinity;
        if (twoEstimates == 0)
            return Math.Sqrt(sum / count);
        if (sum == 0 && sum3 == 0)
            return 0;
        return sum / Math.Sqrt((sum + 0.01 * sum3) * count);
    }
}
