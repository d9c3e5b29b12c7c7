using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Differentiation;
using OdeGpu.Neural;
using OdeGpu.Precision;
using OdeGpu.State;

namespace OdeGpu.Flows;

/// <summary>
/// A continuous normalizing flow's augmented dynamics, one slice of rows per thread: f(z, t) of a dense network carried
/// with its Jacobian along m tangent directions E (the unit vectors for the exact trace, a row's noise for
/// Hutchinson's), which give dz/dt = f, d(delta log p)/dt = -sum_j E_j . J E_j, and the regularizers |f|^2 and
/// sum_j |J E_j|^2. The VJP is reverse mode through that forward-mode computation, so the trace's gradients (second
/// derivatives of the network) are exact; the activation's second derivative is its derivative run on a dual number.
/// Per row and layer l of width n, the scratch keeps [linear part, pre-activation s, output x, P_j = W V_j, V_j]:
/// (3 + 2m) n values, layer 0 holding z and E as its x and V.
/// </summary>
public static class CnfKernels
{
    /// <summary>Slice index's rows: Dy = F(t, y).</summary>
    public static void Evaluate<T, TP, TActivation>(Index1D index, CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation =>
        EvaluateAt<T, TP, TActivation, ViewIndexer>(index, a);

    /// <summary>
    /// Slice index's rows: Dy = F, AY = a^T dF/dy, ATime = a^T dF/dt, and the slice's a^T dF/dtheta summed over its rows
    /// into its row of Partials (with one row per slice, each row's own).
    /// </summary>
    public static void Vjp<T, TP, TActivation>(Index1D index, CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation =>
        VjpAt<T, TP, TActivation, ViewIndexer>(index, a);

    /// <summary>Slice index's rows: AY = (dF/dy) A, each component of F differentiated in reverse mode (a flow's state is small).</summary>
    public static void Jvp<T, TP, TActivation>(Index1D index, CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation =>
        JvpAt<T, TP, TActivation, ViewIndexer>(index, a);

    /// <summary>Parameter index: ThetaBar = the slices' Partials added in slice order.</summary>
    public static void SumSlices<T>(Index1D index, CnfArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        SumSlicesAt<T, ViewIndexer>(index, a);

    /// <summary>Scratch elements a slice needs for these widths and directions.</summary>
    public static int ScratchLength(int[] widths, int directions, int width) =>
        widths.Sum(n => (3 + 2 * directions) * n) + 2 * (1 + directions) * widths.Max() + width + widths[0];

    internal static void EvaluateAt<T, TP, TActivation, TAccess>(Index1D index, in CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        var scratch = (long)index.X * a.ScratchLength;
        for (long row = (long)index.X * a.RowsPerSlice; row < Math.Min(a.Rows, ((long)index.X + 1) * a.RowsPerSlice); row++)
            WriteDerivative<T, TAccess>(a, row, scratch, Forward<T, TP, TActivation, TAccess>(a, row, scratch));
    }

    internal static void VjpAt<T, TP, TActivation, TAccess>(Index1D index, in CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        var scratch = (long)index.X * a.ScratchLength;
        var partial = (long)index.X * a.ParameterCount;
        for (var p = 0; p < a.ParameterCount; p++)
            TAccess.At(a.Partials, partial + p) = T.Zero;
        for (long row = (long)index.X * a.RowsPerSlice; row < Math.Min(a.Rows, ((long)index.X + 1) * a.RowsPerSlice); row++)
        {
            var last = Forward<T, TP, TActivation, TAccess>(a, row, scratch);
            WriteDerivative<T, TAccess>(a, row, scratch, last);
            var width = a.Width;
            TAccess.At(a.ATime, row) = Reverse<T, TP, TActivation, TAccess>(a, row, scratch, last, a.A, row * width, a.AY, row * width, partial);
            for (var k = a.Dimension; k < width; k++)
                TAccess.At(a.AY, row * width + k) = T.Zero;
        }
    }

    internal static void JvpAt<T, TP, TActivation, TAccess>(Index1D index, in CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        var scratch = (long)index.X * a.ScratchLength;
        var width = a.Width;
        var seed = scratch + a.ScratchLength - width - a.Dimension;
        var gradient = seed + width;
        for (long row = (long)index.X * a.RowsPerSlice; row < Math.Min(a.Rows, ((long)index.X + 1) * a.RowsPerSlice); row++)
        {
            var last = Forward<T, TP, TActivation, TAccess>(a, row, scratch);
            for (var k = 0; k < width; k++)
            {
                for (var i = 0; i < width; i++)
                    TAccess.At(a.Scratch, seed + i) = i == k ? T.One : T.Zero;
                Reverse<T, TP, TActivation, TAccess>(a, row, scratch, last, a.Scratch, seed, a.Scratch, gradient, -1);
                TAccess.At(a.AY, row * width + k) = TAccess.Dot(a.Scratch, gradient, a.A, row * width, a.Dimension);
            }
        }
    }

    internal static void SumSlicesAt<T, TAccess>(Index1D index, in CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var sum = T.Zero;
        for (long s = 0; s < a.Slices; s++)
            sum += TAccess.At(a.Partials, s * a.ParameterCount + index);
        TAccess.At(a.ThetaBar, index) = sum;
    }

    // Row `row` through every layer with its tangents, into the slice's scratch; returns where the last layer's block starts.
    private static long Forward<T, TP, TActivation, TAccess>(in CnfArgs<T> a, long row, long scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        int d = a.Dimension, m = a.Directions, width = a.Width;
        var t = TP.FromDouble(TAccess.At(a.Time, row));
        for (var k = 0; k < d; k++)
        {
            TAccess.At(a.Scratch, scratch + 2 * d + k) = TAccess.At(a.Y, row * width + k);
            for (var j = 0; j < m; j++)
                TAccess.At(a.Scratch, scratch + (3 + m + j) * d + k) = a.Hutchinson != 0 ? TAccess.At(a.Noise, row * d + k) : j == k ? T.One : T.Zero;
        }
        long previous = scratch, block = scratch + (3 + 2 * m) * d, p = 0;
        for (var l = 1; l <= a.Layers; l++)
        {
            int n = TAccess.At(a.Widths, l), inputs = TAccess.At(a.Widths, l - 1), columns = a.TimeColumn + inputs;
            var squash = p + n * columns + n;
            for (var o = 0; o < n; o++)
            {
                var w = p + o * columns;
                var linear = TAccess.At(a.Theta, p + (long)n * columns + o) + TAccess.Dot(a.Theta, w + a.TimeColumn, a.Scratch, previous + 2 * inputs, inputs);
                if (a.TimeColumn != 0)
                    linear += TAccess.At(a.Theta, w) * t;
                var gate = a.Squash != 0 ? Sigmoid.Value(TAccess.At(a.Theta, squash + n + o) * t + TAccess.At(a.Theta, squash + 2 * n + o)) : T.One;
                var s = a.Squash != 0 ? linear * gate + TAccess.At(a.Theta, squash + o) * t : linear;
                TAccess.At(a.Scratch, block + o) = linear;
                TAccess.At(a.Scratch, block + n + o) = s;
                TAccess.At(a.Scratch, block + 2 * n + o) = l == a.Layers ? s : TActivation.Value(s);
                var slope = (l == a.Layers ? T.One : TActivation.Derivative(s)) * gate;
                for (var j = 0; j < m; j++)
                {
                    var product = TAccess.Dot(a.Theta, w + a.TimeColumn, a.Scratch, previous + (3L + m + j) * inputs, inputs);
                    TAccess.At(a.Scratch, block + (3L + j) * n + o) = product;
                    TAccess.At(a.Scratch, block + (3L + m + j) * n + o) = slope * product;
                }
            }
            p += (long)n * columns + n + 3L * a.Squash * n;
            previous = block;
            block += (3 + 2 * m) * n;
        }
        return previous;
    }

    // Writes row `row` of Dy: [f, -trace, |f|^2, sum_j |J E_j|^2], the regularizers where on.
    private static void WriteDerivative<T, TAccess>(in CnfArgs<T> a, long row, long scratch, long last)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        int d = a.Dimension, m = a.Directions, width = a.Width;
        T trace = T.Zero, kinetic = T.Zero, frobenius = T.Zero;
        for (var k = 0; k < d; k++)
        {
            var f = TAccess.At(a.Scratch, last + 2 * d + k);
            TAccess.At(a.Dy, row * width + k) = f;
            kinetic += f * f;
        }
        for (var j = 0; j < m; j++)
        {
            var tangent = last + (3L + m + j) * d;
            trace += TAccess.Dot(a.Scratch, scratch + (3L + m + j) * d, a.Scratch, tangent, d);
            frobenius += TAccess.Dot(a.Scratch, tangent, a.Scratch, tangent, d);
        }
        TAccess.At(a.Dy, row * width + d) = -trace;
        if (a.Kinetic != 0)
            TAccess.At(a.Dy, row * width + d + 1) = kinetic;
        if (a.Frobenius != 0)
            TAccess.At(a.Dy, row * width + d + 1 + a.Kinetic) = frobenius;
    }

    // Reverse mode through the row's forward pass (in the scratch from `scratch`, the last layer's block at `last`) for
    // the cotangent at seed[seedStart..]: writes dz into target[targetStart..], adds dtheta into the partial sum at
    // Partials[partial..] (none when partial is negative), returns dt.
    private static T Reverse<T, TP, TActivation, TAccess>(in CnfArgs<T> a, long row, long scratch, long last, ArrayView<T> seed, long seedStart,
        ArrayView<T> target, long targetStart, long partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        int d = a.Dimension, m = a.Directions, wide = a.MaxWidth;
        var t = TP.FromDouble(TAccess.At(a.Time, row));
        var two = T.One + T.One;
        var kinetic = a.Kinetic != 0 ? TAccess.At(seed, seedStart + d + 1) : T.Zero;
        var frobenius = a.Frobenius != 0 ? TAccess.At(seed, seedStart + d + 1 + a.Kinetic) : T.Zero;
        var trace = -TAccess.At(seed, seedStart + d);
        long current = last + (3 + 2 * m) * d, next = current + (1 + m) * wide;
        for (var k = 0; k < d; k++)
        {
            TAccess.At(a.Scratch, current + k) = TAccess.At(seed, seedStart + k) + two * kinetic * TAccess.At(a.Scratch, last + 2 * d + k);
            for (var j = 0; j < m; j++)
            {
                var tangent = TAccess.At(a.Scratch, last + (3L + m + j) * d + k);
                TAccess.At(a.Scratch, current + (1L + j) * wide + k) = trace * TAccess.At(a.Scratch, scratch + (3L + m + j) * d + k) + two * frobenius * tangent;
            }
        }
        var timeBar = T.Zero;
        long block = last, p = a.ParameterCount;
        for (var l = a.Layers; l >= 1; l--)
        {
            int n = TAccess.At(a.Widths, l), inputs = TAccess.At(a.Widths, l - 1), columns = a.TimeColumn + inputs;
            p -= (long)n * columns + n + 3L * a.Squash * n;
            var previous = block - (3L + 2 * m) * inputs;
            var tangents = l > 1 ? m : 0;
            for (var k = 0; k < (1 + tangents) * wide; k++)
                TAccess.At(a.Scratch, next + k) = T.Zero;
            var squash = p + n * columns + n;
            for (var o = 0; o < n; o++)
            {
                var gate = a.Squash != 0 ? Sigmoid.Value(TAccess.At(a.Theta, squash + n + o) * t + TAccess.At(a.Theta, squash + 2 * n + o)) : T.One;
                T slope = T.One, curvature = T.Zero;
                if (l != a.Layers)
                {
                    // sigma' and sigma'': the activation's derivative on a dual number seeded with 1
                    var derivative = TActivation.Derivative(new Dual<T, Vec1<T>>(TAccess.At(a.Scratch, block + n + o), new Vec1<T>(T.One)));
                    slope = derivative.Value;
                    curvature = derivative.Tangent.X;
                }
                var sBar = slope * TAccess.At(a.Scratch, current + o);
                var gateBar = T.Zero;
                for (var j = 0; j < m; j++)
                {
                    var vBar = TAccess.At(a.Scratch, current + (1L + j) * wide + o);
                    var product = TAccess.At(a.Scratch, block + (3L + j) * n + o);
                    sBar += curvature * vBar * gate * product;
                    gateBar += slope * vBar * product;
                }
                var linearBar = gate * sBar;
                var w = p + o * columns;
                if (a.Squash != 0)
                {
                    var argumentBar = (gateBar + sBar * TAccess.At(a.Scratch, block + o)) * gate * (T.One - gate);
                    timeBar += sBar * TAccess.At(a.Theta, squash + o) + argumentBar * TAccess.At(a.Theta, squash + n + o);
                    if (partial >= 0)
                    {
                        TAccess.At(a.Partials, partial + squash + o) += sBar * t;
                        TAccess.At(a.Partials, partial + squash + n + o) += argumentBar * t;
                        TAccess.At(a.Partials, partial + squash + 2 * n + o) += argumentBar;
                    }
                }
                if (a.TimeColumn != 0)
                {
                    timeBar += linearBar * TAccess.At(a.Theta, w);
                    if (partial >= 0)
                        TAccess.At(a.Partials, partial + w) += linearBar * t;
                }
                if (partial >= 0)
                {
                    TAccess.At(a.Partials, partial + p + (long)n * columns + o) += linearBar;
                    TAccess.MultiplyAdd(linearBar, a.Scratch, previous + 2 * inputs, a.Partials, partial + w + a.TimeColumn, inputs);
                }
                TAccess.MultiplyAdd(linearBar, a.Theta, w + a.TimeColumn, a.Scratch, next, inputs);
                for (var j = 0; j < m; j++)
                {
                    var productBar = gate * slope * TAccess.At(a.Scratch, current + (1L + j) * wide + o);
                    if (partial >= 0)
                        TAccess.MultiplyAdd(productBar, a.Scratch, previous + (3L + m + j) * inputs, a.Partials, partial + w + a.TimeColumn, inputs);
                    if (j < tangents)
                        TAccess.MultiplyAdd(productBar, a.Theta, w + a.TimeColumn, a.Scratch, next + (1L + j) * wide, inputs);
                }
            }
            var swap = current;
            current = next;
            next = swap;
            block = previous;
        }
        for (var k = 0; k < d; k++)
            TAccess.At(target, targetStart + k) = TAccess.At(a.Scratch, current + k);
        return timeBar;
    }
}
