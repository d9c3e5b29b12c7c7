using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural;

/// <summary>
/// GroupNorm and its VJP (PyTorch's nn.GroupNorm). A row's group of M elements has xhat = (x - mean) s with
/// s = 1 / sqrt(var + eps); with g = yBar gamma, xBar = s (g - mean(g) - xhat mean(g xhat)). Statistics and sums are
/// one thread per row and group, in element order; the parameters' gradients sum over the rows in row order.
/// </summary>
public static class GroupNormKernels
{
    /// <summary>(row, group): the mean and 1 / sqrt(var + eps) into Stats.</summary>
    public static void Statistics<T, TP>(Index1D index, GroupNormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        StatisticsAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Element (row, c, p): y = xhat gamma[c] + beta[c].</summary>
    public static void Forward<T>(Index1D index, GroupNormArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        ForwardAt<T, ViewIndexer>(index, a);

    /// <summary>(row, group): the sums of g = yBar gamma and of g xhat over the group, into Sums.</summary>
    public static void AdjointSums<T>(Index1D index, GroupNormArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        AdjointSumsAt<T, ViewIndexer>(index, a);

    /// <summary>Element (row, c, p): xBar = s (g - sum(g) / M - xhat sum(g xhat) / M).</summary>
    public static void InputAdjoint<T, TP>(Index1D index, GroupNormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        InputAdjointAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Element k &lt; Channels: dL/dgamma[k] = the sum of yBar xhat; then dL/dbeta[k - Channels] = the sum of yBar.</summary>
    public static void ParameterAdjoint<T>(Index1D index, GroupNormArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        ParameterAdjointAt<T, ViewIndexer>(index, a);

    internal static void StatisticsAt<T, TP, TAccess>(Index1D index, in GroupNormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var start = e * a.GroupSize;
        T sum = T.Zero, squares = T.Zero;
        for (long k = 0; k < a.GroupSize; k++)
            sum += TAccess.At(a.X, start + k);
        var count = TP.FromDouble(a.GroupSize);
        var mean = sum / count;
        for (long k = 0; k < a.GroupSize; k++)
        {
            var d = TAccess.At(a.X, start + k) - mean;
            squares += d * d;
        }
        TAccess.At(a.Stats, 2 * e) = mean;
        TAccess.At(a.Stats, 2 * e + 1) = T.One / T.Sqrt(squares / count + TP.FromDouble(a.Epsilon));
    }

    internal static void ForwardAt<T, TAccess>(Index1D index, in GroupNormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var c = (int)(e / a.Pixels % a.Channels);
        TAccess.At(a.Y, e) = Normalized<T, TAccess>(a, e) * TAccess.At(a.Gamma, c) + TAccess.At(a.Beta, c);
    }

    internal static void AdjointSumsAt<T, TAccess>(Index1D index, in GroupNormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var start = e * a.GroupSize;
        T sum = T.Zero, weighted = T.Zero;
        for (long k = 0; k < a.GroupSize; k++)
        {
            var g = TAccess.At(a.YBar, start + k) * TAccess.At(a.Gamma, (int)((start + k) / a.Pixels % a.Channels));
            sum += g;
            weighted += g * Normalized<T, TAccess>(a, start + k);
        }
        TAccess.At(a.Sums, 2 * e) = sum;
        TAccess.At(a.Sums, 2 * e + 1) = weighted;
    }

    internal static void InputAdjointAt<T, TP, TAccess>(Index1D index, in GroupNormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var group = e / a.GroupSize;
        var c = (int)(e / a.Pixels % a.Channels);
        var count = TP.FromDouble(a.GroupSize);
        var g = TAccess.At(a.YBar, e) * TAccess.At(a.Gamma, c);
        var xhat = Normalized<T, TAccess>(a, e);
        TAccess.At(a.XBar, e) = TAccess.At(a.Stats, 2 * group + 1)
            * (g - TAccess.At(a.Sums, 2 * group) / count - xhat * TAccess.At(a.Sums, 2 * group + 1) / count);
    }

    internal static void ParameterAdjointAt<T, TAccess>(Index1D index, in GroupNormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var k = a.First + index;
        var c = k % a.Channels;
        var sum = T.Zero;
        for (long row = 0; row < a.Rows; row++)
        {
            var start = (row * a.Channels + c) * a.Pixels;
            for (long p = 0; p < a.Pixels; p++)
                sum += k < a.Channels ? TAccess.At(a.YBar, start + p) * Normalized<T, TAccess>(a, start + p) : TAccess.At(a.YBar, start + p);
        }
        TAccess.At(a.ParameterBar, k) = sum;
    }

    // xhat of element e from its group's statistics.
    private static T Normalized<T, TAccess>(in GroupNormArgs<T> a, long e)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var group = e / a.GroupSize;
        return (TAccess.At(a.X, e) - TAccess.At(a.Stats, 2 * group)) * TAccess.At(a.Stats, 2 * group + 1);
    }
}
