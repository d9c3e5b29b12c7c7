using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Neural;
using OdeGpu.Precision;

namespace OdeGpu.Device;

/// <summary>
/// The SIMD twin of <see cref="GroupNormKernels"/> for the direct CPU launcher: a row's group is contiguous, so its
/// statistics, its normalization and its VJP are passes over one span in lanes, rows spread over the cores. The
/// parameters' gradients are summed per fixed group of rows, then over those in order.
/// </summary>
internal static class GroupNormLanes
{
    // Parts of the batch whose parameter gradients are summed apart: the parallelism of the backward pass.
    private const int Parts = 8;

    /// <summary>As <see cref="GroupNormKernels.Statistics{T, TP}"/> then <see cref="GroupNormKernels.Forward{T}"/>.</summary>
    public static void Forward<T, TP>(GroupNormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        Parallel.For(0, a.Rows, row => ForwardRow<T, TP>(a, row));

    // Row `row`'s statistics and normalized groups.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow<T, TP>(in GroupNormArgs<T> a, int row)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var size = (int)a.GroupSize;
        var perGroup = a.Channels / a.Groups;
        for (var g = 0; g < a.Groups; g++)
        {
            var start = ((long)row * a.Groups + g) * size;
            var x = HostViewAccess.Span(a.X, start, size);
            var mean = DenseLanes.Sum<T>(x) / TP.FromDouble(size);
            var inverse = T.One / T.Sqrt(SquaredDeviations(x, mean) / TP.FromDouble(size) + TP.FromDouble(a.Epsilon));
            var stats = HostViewAccess.Span(a.Stats, 2 * ((long)row * a.Groups + g), 2);
            stats[0] = mean;
            stats[1] = inverse;
            var y = HostViewAccess.Span(a.Y, start, size);
            for (var k = 0; k < perGroup; k++)
            {
                var c = g * perGroup + k;
                var scale = inverse * HostViewAccess.At(a.Gamma, c);
                Affine(x.Slice(k * a.Pixels, a.Pixels), scale, HostViewAccess.At(a.Beta, c) - mean * scale, y.Slice(k * a.Pixels, a.Pixels));
            }
        }
    }

    /// <summary>
    /// As <see cref="GroupNormKernels.AdjointSums{T}"/>, <see cref="GroupNormKernels.InputAdjoint{T, TP}"/> (when
    /// <paramref name="input"/>) and <see cref="GroupNormKernels.ParameterAdjoint{T}"/>, from the Stats of the forward pass.
    /// </summary>
    public static void Backward<T, TP>(GroupNormArgs<T> a, bool input)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var parts = Math.Min(Parts, a.Rows);
        var partials = new T[parts * 2 * a.Channels];
        Parallel.For(0, parts, part =>
        {
            var partial = partials.AsSpan(part * 2 * a.Channels, 2 * a.Channels);
            var xhat = new T[a.Pixels];
            for (var row = part * a.Rows / parts; row < (part + 1) * a.Rows / parts; row++)
                BackwardRow<T, TP>(a, row, input, partial, xhat);
        });
        var total = HostViewAccess.Span(a.ParameterBar, 0, 2 * a.Channels);
        total.Clear();
        for (var part = 0; part < parts; part++)
            DenseLanes.MultiplyAdd(T.One, partials.AsSpan(part * 2 * a.Channels, 2 * a.Channels), total);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow<T, TP>(in GroupNormArgs<T> a, int row, bool input, Span<T> partial, T[] xhat)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var perGroup = a.Channels / a.Groups;
        var count = TP.FromDouble(a.GroupSize);
        for (var g = 0; g < a.Groups; g++)
        {
            var stats = HostViewAccess.Span(a.Stats, 2 * ((long)row * a.Groups + g), 2);
            T sum = T.Zero, weighted = T.Zero;
            for (var k = 0; k < perGroup; k++)
            {
                var c = g * perGroup + k;
                var start = ((long)row * a.Channels + c) * a.Pixels;
                var x = HostViewAccess.Span(a.X, start, a.Pixels);
                var yBar = HostViewAccess.Span(a.YBar, start, a.Pixels);
                Affine(x, stats[1], -stats[0] * stats[1], xhat);
                var barSum = DenseLanes.Sum<T>(yBar);
                var barWeighted = DenseLanes.Dot<T>(yBar, xhat);
                partial[c] += barWeighted;
                partial[a.Channels + c] += barSum;
                var gamma = HostViewAccess.At(a.Gamma, c);
                sum += gamma * barSum;
                weighted += gamma * barWeighted;
            }
            if (!input)
                continue;
            var meanBar = sum / count;
            var meanWeighted = weighted / count;
            for (var k = 0; k < perGroup; k++)
            {
                var c = g * perGroup + k;
                var start = ((long)row * a.Channels + c) * a.Pixels;
                var x = HostViewAccess.Span(a.X, start, a.Pixels);
                var yBar = HostViewAccess.Span(a.YBar, start, a.Pixels);
                var xBar = HostViewAccess.Span(a.XBar, start, a.Pixels);
                var scale = stats[1] * HostViewAccess.At(a.Gamma, c);
                // xBar = s (g - mean(g) - xhat mean(g xhat)) with xhat = (x - mean) s, as one affine map of yBar and x.
                var shift = stats[1] * (-meanBar + stats[0] * stats[1] * meanWeighted);
                var slope = -stats[1] * stats[1] * meanWeighted;
                Combine(yBar, scale, x, slope, shift, xBar);
            }
        }
    }

    // y = x scale + shift.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Affine<T>(ReadOnlySpan<T> x, T scale, T shift, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        var (s, b) = (new Vector<T>(scale), new Vector<T>(shift));
        var i = 0;
        for (; i + lanes <= x.Length; i += lanes)
            Lanes.MultiplyAdd(new Vector<T>(x[i..]), s, b).CopyTo(y[i..]);
        for (; i < x.Length; i++)
            y[i] = x[i] * scale + shift;
    }

    // z = u p + v q + shift.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Combine<T>(ReadOnlySpan<T> u, T p, ReadOnlySpan<T> v, T q, T shift, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        var (ps, qs, b) = (new Vector<T>(p), new Vector<T>(q), new Vector<T>(shift));
        var i = 0;
        for (; i + lanes <= u.Length; i += lanes)
            Lanes.MultiplyAdd(new Vector<T>(u[i..]), ps, Lanes.MultiplyAdd(new Vector<T>(v[i..]), qs, b)).CopyTo(z[i..]);
        for (; i < u.Length; i++)
            z[i] = u[i] * p + v[i] * q + shift;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T SquaredDeviations<T>(ReadOnlySpan<T> x, T mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        var (sum, m) = (Vector<T>.Zero, new Vector<T>(mean));
        var i = 0;
        for (; i + lanes <= x.Length; i += lanes)
        {
            var d = new Vector<T>(x[i..]) - m;
            sum = Lanes.MultiplyAdd(d, d, sum);
        }
        var total = Vector.Sum(sum);
        for (; i < x.Length; i++)
            total += (x[i] - mean) * (x[i] - mean);
        return total;
    }
}
