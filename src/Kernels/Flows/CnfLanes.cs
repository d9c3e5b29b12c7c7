using System.Numerics;
using System.Runtime.InteropServices;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.Precision;
using static OdeGpu.Flows.CnfKernels;

namespace OdeGpu.Flows;

/// <summary>
/// The direct launcher's twin of <see cref="CnfKernels"/> (through <see cref="SimdPrimitives"/>): the same passes over
/// the same scratch layout, on spans taken once per slice instead of an element access per value, the products in
/// <see cref="DenseLanes"/> and the elementwise steps in <see cref="Vector{T}"/> lanes with the activations' lane forms.
/// A slice's rows that share a time (one step size per batch) share its gates.
/// </summary>
internal static class CnfLanes
{
    /// <summary>The transposed weights, then every slice's rows: Dy = F.</summary>
    public static void Evaluate<T, TP, TActivation>(in CnfArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        Transpose(a);
        var args = a;
        ForEachSlice(a.Slices, slice =>
        {
            var rows = new Rows<T>(args, slice);
            for (var row = rows.First; row < rows.End; row++)
                rows.WriteDerivative(row, rows.Forward<TP, TActivation>(row, second: false));
        });
    }

    /// <summary>The transposed weights, then every slice's rows: Dy = F, AY, ATime and the slice's Partials; with <paramref name="sum"/>, ThetaBar from them.</summary>
    public static void Vjp<T, TP, TActivation>(in CnfArgs<T> a, bool sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        Transpose(a);
        var args = a;
        ForEachSlice(a.Slices, slice =>
        {
            var rows = new Rows<T>(args, slice);
            var partial = Span(args.Partials).Slice(slice * args.ParameterCount, args.ParameterCount);
            partial.Clear();
            var width = args.Width;
            var aY = Span(args.AY);
            for (var row = rows.First; row < rows.End; row++)
            {
                var last = rows.Forward<TP, TActivation>(row, second: true);
                rows.WriteDerivative(row, last);
                Span(args.ATime)[row] = rows.Reverse<TP>(row, last, Span(args.A).Slice(row * width, width), aY.Slice(row * width, args.Dimension), partial);
                aY.Slice(row * width + args.Dimension, width - args.Dimension).Clear();
            }
        });
        if (!sum)
            return;
        var total = Span(a.ThetaBar)[..a.ParameterCount];
        total.Clear();
        var partials = Span(a.Partials);
        for (var s = 0; s < a.Slices; s++)
            DenseLanes.MultiplyAdd(T.One, partials.Slice(s * a.ParameterCount, a.ParameterCount), total);
    }

    private static void Transpose<T>(in CnfArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var widths = Span(a.Widths);
        ReadOnlySpan<T> theta = Span(a.Theta);
        var transposed = Span(a.ThetaT);
        var p = 0;
        for (var l = 1; l <= a.Layers; l++)
        {
            int n = widths[l], columns = a.TimeColumn + widths[l - 1];
            for (var o = 0; o < n; o++)
                for (var c = 0; c < columns; c++)
                    transposed[p + c * n + o] = theta[p + o * columns + c];
            p += n * columns + n + 3 * a.Squash * n;
        }
    }

    private static void ForEachSlice(int slices, Action<int> body)
    {
        if (slices > 1 && Environment.ProcessorCount > 1)
            Parallel.For(0, slices, body);
        else
            for (var s = 0; s < slices; s++)
                body(s);
    }

    private static Span<T> Span<T>(ArrayView<T> view) where T : unmanaged =>
        view.Length == 0 ? [] : MemoryMarshal.CreateSpan(ref HostViewAccess.At(view, 0), checked((int)view.Length));

    // One slice's rows over host memory, laid out as CnfKernels lays them out.
    private readonly ref struct Rows<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly CnfArgs<T> _a;
        private readonly Span<T> _scratch;
        private readonly ReadOnlySpan<T> _theta, _thetaT;
        private readonly ReadOnlySpan<int> _widths;

        public Rows(in CnfArgs<T> a, int slice)
        {
            _a = a;
            _scratch = CnfLanes.Span(a.Scratch).Slice(slice * a.ScratchLength, a.ScratchLength);
            _theta = CnfLanes.Span(a.Theta);
            _thetaT = CnfLanes.Span(a.ThetaT);
            _widths = CnfLanes.Span(a.Widths);
            First = a.SliceStart(slice);
            End = a.SliceEnd(slice);
        }

        public int First { get; }

        public int End { get; }

        // As CnfKernels.Forward; a row whose time is its predecessor's in the slice keeps the gates in place.
        public int Forward<TP, TActivation>(int row, bool second)
            where TP : struct, IPrecision<T>
            where TActivation : struct, IActivation
        {
            int d = _a.Dimension, m = _a.Directions, width = _a.Width;
            var time = CnfLanes.Span(_a.Time);
            var t = TP.FromDouble(time[row]);
            var gatesKept = row > First && time[row] == time[row - 1];
            var y = CnfLanes.Span(_a.Y).Slice(row * width, d);
            y.CopyTo(_scratch.Slice((int)Output(d, m), d));
            for (var j = 0; j < m; j++)
            {
                var tangent = _scratch.Slice((int)Tangent(d, m, j), d);
                if (_a.Hutchinson != 0)
                    CnfLanes.Span(_a.Noise).Slice(row * d, d).CopyTo(tangent);
                else
                    for (var k = 0; k < d; k++)
                        tangent[k] = j == k ? T.One : T.Zero;
            }
            int previous = 0, block = (int)BlockLength(d, m), p = 0;
            for (var l = 1; l <= _a.Layers; l++)
            {
                int n = _widths[l], inputs = _widths[l - 1], columns = _a.TimeColumn + inputs;
                var squash = p + n * columns + n;
                var linear = _scratch.Slice(block, n);
                _theta.Slice(p + n * columns, n).CopyTo(linear);
                if (_a.TimeColumn != 0)
                    for (var o = 0; o < n; o++)
                        linear[o] += _theta[p + o * columns] * t;
                var byInput = _thetaT[(p + _a.TimeColumn * n)..];
                var byOutput = _theta[(p + _a.TimeColumn)..];
                DenseLanes.Product<T>(_scratch.Slice(previous + (int)Output(inputs, m), inputs), inputs, byInput, n, byOutput, columns, linear, n);
                for (var j = 0; j < m; j++)
                {
                    var product = _scratch.Slice(block + (int)Product(n, j), n);
                    product.Clear();
                    DenseLanes.Product<T>(_scratch.Slice(previous + (int)Tangent(inputs, m, j), inputs), inputs, byInput, n, byOutput, columns, product, n);
                }
                var s = _scratch.Slice(block + n, n);
                var gate = _scratch.Slice(block + 2 * n, n);
                var slope = _scratch.Slice(block + 3 * n, n);
                var curvature = _scratch.Slice(block + 4 * n, n);
                var output = _scratch.Slice(block + (int)Output(n, m), n);
                if (_a.Squash == 0)
                {
                    gate.Fill(T.One);
                    linear.CopyTo(s);
                }
                else
                {
                    if (!gatesKept)
                        Gates(_theta.Slice(squash + n, n), _theta.Slice(squash + 2 * n, n), t, gate);
                    Squash(linear, gate, _theta.Slice(squash, n), t, s);
                }
                if (l == _a.Layers)
                {
                    s.CopyTo(output);
                    slope.Fill(T.One);
                    curvature.Clear();
                }
                else
                {
                    DenseLanes.Activate<T, TActivation>(s, output);
                    Slopes<TActivation>(s, slope);
                    for (var o = 0; o < n && second; o++)
                        curvature[o] = TActivation.SecondDerivative(s[o]);
                }
                for (var j = 0; j < m; j++)
                    Scale(slope, gate, _scratch.Slice(block + (int)Product(n, j), n), _scratch.Slice(block + (int)Tangent(n, m, j), n));
                p += n * columns + n + 3 * _a.Squash * n;
                previous = block;
                block += (int)BlockLength(n, m);
            }
            return previous;
        }

        // As CnfKernels.WriteDerivative.
        public void WriteDerivative(int row, int last)
        {
            int d = _a.Dimension, m = _a.Directions, width = _a.Width;
            var dy = CnfLanes.Span(_a.Dy).Slice(row * width, width);
            var f = _scratch.Slice(last + (int)Output(d, m), d);
            f.CopyTo(dy);
            T trace = T.Zero, frobenius = T.Zero;
            for (var j = 0; j < m; j++)
            {
                var tangent = _scratch.Slice(last + (int)Tangent(d, m, j), d);
                trace += DenseLanes.Dot<T>(_scratch.Slice((int)Tangent(d, m, j), d), tangent);
                frobenius += DenseLanes.Dot<T>(tangent, tangent);
            }
            dy[d] = -trace;
            if (_a.Kinetic != 0)
                dy[d + 1] = DenseLanes.Dot<T>(f, f);
            if (_a.Frobenius != 0)
                dy[d + 1 + _a.Kinetic] = frobenius;
        }

        // As CnfKernels.Reverse, into a slice's partial sum.
        public T Reverse<TP>(int row, int last, ReadOnlySpan<T> seed, Span<T> target, Span<T> partial) where TP : struct, IPrecision<T>
        {
            int d = _a.Dimension, m = _a.Directions, wide = _a.MaxWidth;
            var t = TP.FromDouble(CnfLanes.Span(_a.Time)[row]);
            var two = T.One + T.One;
            var kinetic = _a.Kinetic != 0 ? seed[d + 1] : T.Zero;
            var frobenius = _a.Frobenius != 0 ? seed[d + 1 + _a.Kinetic] : T.Zero;
            var trace = -seed[d];
            int current = last + (int)BlockLength(d, m), next = current + (1 + m) * wide, bars = next + (1 + m) * wide;
            for (var k = 0; k < d; k++)
            {
                _scratch[current + k] = seed[k] + two * kinetic * _scratch[last + (int)Output(d, m) + k];
                for (var j = 0; j < m; j++)
                    _scratch[current + (1 + j) * wide + k] = trace * _scratch[(int)Tangent(d, m, j) + k] + two * frobenius * _scratch[last + (int)Tangent(d, m, j) + k];
            }
            var timeBar = T.Zero;
            int block = last, p = _a.ParameterCount;
            for (var l = _a.Layers; l >= 1; l--)
            {
                int n = _widths[l], inputs = _widths[l - 1], columns = _a.TimeColumn + inputs;
                p -= n * columns + n + 3 * _a.Squash * n;
                var previous = block - (int)BlockLength(inputs, m);
                var squash = p + n * columns + n;
                for (var o = 0; o < n; o++)
                {
                    var gate = _scratch[block + 2 * n + o];
                    var slope = _scratch[block + 3 * n + o];
                    var curvature = _scratch[block + 4 * n + o];
                    var sBar = slope * _scratch[current + o];
                    var gateBar = T.Zero;
                    for (var j = 0; j < m; j++)
                    {
                        var vBar = _scratch[current + (1 + j) * wide + o];
                        var product = _scratch[block + (int)Product(n, j) + o];
                        sBar += curvature * vBar * gate * product;
                        gateBar += slope * vBar * product;
                        _scratch[bars + (1 + j) * n + o] = gate * slope * vBar;
                    }
                    var linearBar = gate * sBar;
                    _scratch[bars + o] = linearBar;
                    if (_a.Squash != 0)
                    {
                        var argumentBar = (gateBar + sBar * _scratch[block + o]) * gate * (T.One - gate);
                        timeBar += sBar * _theta[squash + o] + argumentBar * _theta[squash + n + o];
                        partial[squash + o] += sBar * t;
                        partial[squash + n + o] += argumentBar * t;
                        partial[squash + 2 * n + o] += argumentBar;
                    }
                    if (_a.TimeColumn != 0)
                    {
                        timeBar += linearBar * _theta[p + o * columns];
                        partial[p + o * columns] += linearBar * t;
                    }
                    partial[p + n * columns + o] += linearBar;
                }
                DenseLanes.OuterSum<T>(_scratch.Slice(bars, (1 + m) * n), n, _scratch.Slice(previous + (int)Output(inputs, m), (1 + m) * inputs), inputs, 1 + m,
                    partial[(p + _a.TimeColumn)..], columns);
                var tangents = l > 1 ? m : 0;
                for (var j = -1; j < tangents; j++)
                {
                    var into = _scratch.Slice(next + (1 + j) * wide, inputs);
                    into.Clear();
                    DenseLanes.Product<T>(_scratch.Slice(bars + (1 + j) * n, n), n, _theta[(p + _a.TimeColumn)..], columns, _thetaT[(p + _a.TimeColumn * n)..], n, into, inputs);
                }
                (current, next) = (next, current);
                block = previous;
            }
            _scratch.Slice(current, d).CopyTo(target);
            return timeBar;
        }

        // gate = sigmoid(g t + c) in lanes.
        private static void Gates(ReadOnlySpan<T> g, ReadOnlySpan<T> c, T t, Span<T> gate)
        {
            var lanes = Vector<T>.Count;
            var time = new Vector<T>(t);
            var o = 0;
            for (; o + lanes <= gate.Length; o += lanes)
                Sigmoid.Values(Lanes.MultiplyAdd(new Vector<T>(g[o..]), time, new Vector<T>(c[o..]))).CopyTo(gate[o..]);
            for (; o < gate.Length; o++)
                gate[o] = Sigmoid.Value(g[o] * t + c[o]);
        }

        // s = linear gate + d t in lanes.
        private static void Squash(ReadOnlySpan<T> linear, ReadOnlySpan<T> gate, ReadOnlySpan<T> d, T t, Span<T> s)
        {
            var lanes = Vector<T>.Count;
            var time = new Vector<T>(t);
            var o = 0;
            for (; o + lanes <= s.Length; o += lanes)
                Lanes.MultiplyAdd(new Vector<T>(d[o..]), time, new Vector<T>(linear[o..]) * new Vector<T>(gate[o..])).CopyTo(s[o..]);
            for (; o < s.Length; o++)
                s[o] = linear[o] * gate[o] + d[o] * t;
        }

        // slope = sigma'(s) in lanes.
        private static void Slopes<TActivation>(ReadOnlySpan<T> s, Span<T> slope) where TActivation : struct, IActivation
        {
            var lanes = Vector<T>.Count;
            var o = 0;
            for (; o + lanes <= s.Length; o += lanes)
                TActivation.Derivatives(new Vector<T>(s[o..])).CopyTo(slope[o..]);
            for (; o < s.Length; o++)
                slope[o] = TActivation.Derivative(s[o]);
        }

        // tangent = slope gate product in lanes.
        private static void Scale(ReadOnlySpan<T> slope, ReadOnlySpan<T> gate, ReadOnlySpan<T> product, Span<T> tangent)
        {
            var lanes = Vector<T>.Count;
            var o = 0;
            for (; o + lanes <= tangent.Length; o += lanes)
                (new Vector<T>(slope[o..]) * new Vector<T>(gate[o..]) * new Vector<T>(product[o..])).CopyTo(tangent[o..]);
            for (; o < tangent.Length; o++)
                tangent[o] = slope[o] * gate[o] * product[o];
        }
    }
}
