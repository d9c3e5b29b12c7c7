using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.Precision;

namespace OdeGpu.Flows;

/// <summary>
/// A continuous normalizing flow's augmented dynamics, one slice of rows per thread: f(z, t) of a dense network carried
/// with its Jacobian along m tangent directions E (the unit vectors for the exact trace, a row's noise for
/// Hutchinson's), which give dz/dt = f, d(delta log p)/dt = -sum_j E_j . J E_j, and the regularizers |f|^2 and
/// sum_j |J E_j|^2. The VJP is reverse mode through that forward-mode computation, so the trace's gradients (second
/// derivatives of the network, the activation's sigma'' among them) are exact.
/// Per row and layer l of width n, the scratch keeps [linear part, pre-activation s, gate, sigma'(s), sigma''(s),
/// W V_j, output x, V_j]: (6 + 2m) n values, layer 0 holding z and E as its x and V_j.
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

    /// <summary>Parameter index: the weights of its layer transposed into ThetaT, so that both of a layer's products read along memory.</summary>
    public static void Transpose<T>(Index1D index, CnfArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        TransposeAt<T, ViewIndexer>(index, a);

    /// <summary>Scratch elements a slice needs for these widths and directions.</summary>
    public static int ScratchLength(int[] widths, int directions, int width) =>
        widths.Sum(n => (6 + 2 * directions) * n) + 3 * (1 + directions) * widths.Max() + width + widths[0];

    internal static void TransposeAt<T, TAccess>(Index1D index, in CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        long p = 0;
        for (var l = 1; l <= a.Layers; l++)
        {
            int n = TAccess.At(a.Widths, l), columns = a.TimeColumn + TAccess.At(a.Widths, l - 1);
            var e = index - p;
            if (e >= 0 && e < (long)n * columns)
            {
                var o = e / columns;
                TAccess.At(a.ThetaT, p + (e - o * columns) * n + o) = TAccess.At(a.Theta, index);
            }
            p += (long)n * columns + n + 3L * a.Squash * n;
        }
    }

    internal static void EvaluateAt<T, TP, TActivation, TAccess>(Index1D index, in CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        var scratch = (long)index.X * a.ScratchLength;
        for (long row = a.SliceStart(index.X); row < a.SliceEnd(index.X); row++)
            WriteDerivative<T, TAccess>(a, row, scratch, Forward<T, TP, TActivation, TAccess>(a, row, scratch, second: false));
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
        for (long row = a.SliceStart(index.X); row < a.SliceEnd(index.X); row++)
        {
            var last = Forward<T, TP, TActivation, TAccess>(a, row, scratch, second: true);
            WriteDerivative<T, TAccess>(a, row, scratch, last);
            var width = a.Width;
            TAccess.At(a.ATime, row) = Reverse<T, TP, TAccess>(a, row, scratch, last, a.A, row * width, a.AY, row * width, partial);
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
        for (long row = a.SliceStart(index.X); row < a.SliceEnd(index.X); row++)
        {
            var last = Forward<T, TP, TActivation, TAccess>(a, row, scratch, second: true);
            for (var k = 0; k < width; k++)
            {
                for (var i = 0; i < width; i++)
                    TAccess.At(a.Scratch, seed + i) = i == k ? T.One : T.Zero;
                Reverse<T, TP, TAccess>(a, row, scratch, last, a.Scratch, seed, a.Scratch, gradient, -1);
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

    // Row `row` through every layer with its tangents, into the slice's scratch (with sigma'' when `second`); returns
    // where the last layer's block starts.
    private static long Forward<T, TP, TActivation, TAccess>(in CnfArgs<T> a, long row, long scratch, bool second)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        int d = a.Dimension, m = a.Directions, width = a.Width;
        var t = TP.FromDouble(TAccess.At(a.Time, row));
        for (var k = 0; k < d; k++)
        {
            TAccess.At(a.Scratch, scratch + Output(d, m) + k) = TAccess.At(a.Y, row * width + k);
            for (var j = 0; j < m; j++)
                TAccess.At(a.Scratch, scratch + Tangent(d, m, j) + k) = a.Hutchinson != 0 ? TAccess.At(a.Noise, row * d + k) : j == k ? T.One : T.Zero;
        }
        long previous = scratch, block = scratch + BlockLength(d, m), p = 0;
        for (var l = 1; l <= a.Layers; l++)
        {
            int n = TAccess.At(a.Widths, l), inputs = TAccess.At(a.Widths, l - 1), columns = a.TimeColumn + inputs;
            var squash = p + n * columns + n;
            for (var o = 0; o < n; o++)
            {
                var linear = TAccess.At(a.Theta, p + (long)n * columns + o);
                if (a.TimeColumn != 0)
                    linear += TAccess.At(a.Theta, p + o * columns) * t;
                TAccess.At(a.Scratch, block + o) = linear;
                for (var j = 0; j < m; j++)
                    TAccess.At(a.Scratch, block + Product(n, j) + o) = T.Zero;
            }
            for (var j = -1; j < m; j++)
                TAccess.Product(a.Scratch, previous + (j < 0 ? Output(inputs, m) : Tangent(inputs, m, j)), inputs, a.ThetaT, p + a.TimeColumn * n, n,
                    a.Theta, p + a.TimeColumn, columns, a.Scratch, block + (j < 0 ? 0 : Product(n, j)), n);
            for (var o = 0; o < n; o++)
            {
                var linear = TAccess.At(a.Scratch, block + o);
                var gate = a.Squash != 0 ? Sigmoid.Value(TAccess.At(a.Theta, squash + n + o) * t + TAccess.At(a.Theta, squash + 2 * n + o)) : T.One;
                var s = a.Squash != 0 ? linear * gate + TAccess.At(a.Theta, squash + o) * t : linear;
                var slope = l == a.Layers ? T.One : TActivation.Derivative(s);
                var curvature = l == a.Layers || !second ? T.Zero : TActivation.SecondDerivative(s);
                TAccess.At(a.Scratch, block + n + o) = s;
                TAccess.At(a.Scratch, block + 2 * n + o) = gate;
                TAccess.At(a.Scratch, block + 3 * n + o) = slope;
                TAccess.At(a.Scratch, block + 4 * n + o) = curvature;
                TAccess.At(a.Scratch, block + Output(n, m) + o) = l == a.Layers ? s : TActivation.Value(s);
                for (var j = 0; j < m; j++)
                    TAccess.At(a.Scratch, block + Tangent(n, m, j) + o) = slope * gate * TAccess.At(a.Scratch, block + Product(n, j) + o);
            }
            p += (long)n * columns + n + 3L * a.Squash * n;
            previous = block;
            block += BlockLength(n, m);
        }
        return previous;
    }

    // Writes row `row` of Dy: [f, -trace, |f|^2, sum_j |J E_j|^2], the regularizers where on.
    private static void WriteDerivative<T, TAccess>(in CnfArgs<T> a, long row, long scratch, long last)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        int d = a.Dimension, m = a.Directions, width = a.Width;
        T trace = T.Zero, frobenius = T.Zero;
        for (var k = 0; k < d; k++)
            TAccess.At(a.Dy, row * width + k) = TAccess.At(a.Scratch, last + Output(d, m) + k);
        for (var j = 0; j < m; j++)
        {
            trace += TAccess.Dot(a.Scratch, scratch + Tangent(d, m, j), a.Scratch, last + Tangent(d, m, j), d);
            frobenius += TAccess.Dot(a.Scratch, last + Tangent(d, m, j), a.Scratch, last + Tangent(d, m, j), d);
        }
        TAccess.At(a.Dy, row * width + d) = -trace;
        if (a.Kinetic != 0)
            TAccess.At(a.Dy, row * width + d + 1) = TAccess.Dot(a.Scratch, last + Output(d, m), a.Scratch, last + Output(d, m), d);
        if (a.Frobenius != 0)
            TAccess.At(a.Dy, row * width + d + 1 + a.Kinetic) = frobenius;
    }

    // Reverse mode through the row's forward pass (in the scratch from `scratch`, the last layer's block at `last`) for
    // the cotangent at seed[seedStart..]: writes dz into target[targetStart..], adds dtheta into the partial sum at
    // Partials[partial..] (none when partial is negative), returns dt. Per layer, the cotangents of the linear part and
    // of the products W V_j, gathered in the scratch, give the input's cotangents by one product each and the weights'
    // by one sum of outer products.
    private static T Reverse<T, TP, TAccess>(in CnfArgs<T> a, long row, long scratch, long last, ArrayView<T> seed, long seedStart,
        ArrayView<T> target, long targetStart, long partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        int d = a.Dimension, m = a.Directions, wide = a.MaxWidth;
        var t = TP.FromDouble(TAccess.At(a.Time, row));
        var two = T.One + T.One;
        var kinetic = a.Kinetic != 0 ? TAccess.At(seed, seedStart + d + 1) : T.Zero;
        var frobenius = a.Frobenius != 0 ? TAccess.At(seed, seedStart + d + 1 + a.Kinetic) : T.Zero;
        var trace = -TAccess.At(seed, seedStart + d);
        long current = last + BlockLength(d, m), next = current + (1 + m) * wide, bars = next + (1 + m) * wide;
        for (var k = 0; k < d; k++)
        {
            TAccess.At(a.Scratch, current + k) = TAccess.At(seed, seedStart + k) + two * kinetic * TAccess.At(a.Scratch, last + Output(d, m) + k);
            for (var j = 0; j < m; j++)
                TAccess.At(a.Scratch, current + (1L + j) * wide + k) = trace * TAccess.At(a.Scratch, scratch + Tangent(d, m, j) + k)
                    + two * frobenius * TAccess.At(a.Scratch, last + Tangent(d, m, j) + k);
        }
        var timeBar = T.Zero;
        long block = last, p = a.ParameterCount;
        for (var l = a.Layers; l >= 1; l--)
        {
            int n = TAccess.At(a.Widths, l), inputs = TAccess.At(a.Widths, l - 1), columns = a.TimeColumn + inputs;
            p -= (long)n * columns + n + 3L * a.Squash * n;
            var previous = block - BlockLength(inputs, m);
            var squash = p + n * columns + n;
            for (var o = 0; o < n; o++)
            {
                var gate = TAccess.At(a.Scratch, block + 2 * n + o);
                var slope = TAccess.At(a.Scratch, block + 3 * n + o);
                var curvature = TAccess.At(a.Scratch, block + 4 * n + o);
                var sBar = slope * TAccess.At(a.Scratch, current + o);
                var gateBar = T.Zero;
                for (var j = 0; j < m; j++)
                {
                    var vBar = TAccess.At(a.Scratch, current + (1L + j) * wide + o);
                    var product = TAccess.At(a.Scratch, block + Product(n, j) + o);
                    sBar += curvature * vBar * gate * product;
                    gateBar += slope * vBar * product;
                    TAccess.At(a.Scratch, bars + (1L + j) * n + o) = gate * slope * vBar;
                }
                var linearBar = gate * sBar;
                TAccess.At(a.Scratch, bars + o) = linearBar;
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
                    timeBar += linearBar * TAccess.At(a.Theta, p + o * columns);
                    if (partial >= 0)
                        TAccess.At(a.Partials, partial + p + o * columns) += linearBar * t;
                }
                if (partial >= 0)
                    TAccess.At(a.Partials, partial + p + (long)n * columns + o) += linearBar;
            }
            // [linear part, W V_j] against [x, V_j] of the layer's input: contiguous in both
            if (partial >= 0)
                TAccess.OuterSum(a.Scratch, bars, n, a.Scratch, previous + Output(inputs, m), inputs, 1 + m, a.Partials, partial + p + a.TimeColumn, columns);
            var tangents = l > 1 ? m : 0;
            for (var j = -1; j < tangents; j++)
            {
                for (var k = 0; k < inputs; k++)
                    TAccess.At(a.Scratch, next + (1L + j) * wide + k) = T.Zero;
                TAccess.Product(a.Scratch, bars + (1L + j) * n, n, a.Theta, p + a.TimeColumn, columns, a.ThetaT, p + a.TimeColumn * n, n,
                    a.Scratch, next + (1L + j) * wide, inputs);
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

    // A layer block of width n: [linear part, s, gate, sigma'(s), sigma''(s), W V_j (m), output x, V_j (m)].
    internal static long BlockLength(int n, int m) => (6L + 2 * m) * n;

    internal static long Product(int n, int j) => (5L + j) * n;

    internal static long Output(int n, int m) => (5L + m) * n;

    internal static long Tangent(int n, int m, int j) => (6L + m + j) * n;
}
