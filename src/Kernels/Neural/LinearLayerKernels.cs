using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural;

/// <summary>
/// A dense layer h = sigma(W [t, x] + b) over rows, or FFJORD's ConcatSquash h = sigma((W x + b) sigmoid(g t + c) + d t)
/// (<see cref="LinearLayerArgs{T}.Squash"/>), and its derivatives, one output element per thread. The parameter
/// gradient of a weight is the sum over the rows taken in row order by one thread, so it is the same on every run and
/// needs no atomics. Each kernel's body takes its arguments by reference and reaches its views through
/// <see cref="IViewAccess"/>, so that the direct CPU launcher calls it without copying them per element.
/// </summary>
public static class LinearLayerKernels
{
    /// <summary>Element (row, o) of Z = W [t, x] + b and H = sigma(Z).</summary>
    public static void Forward<T, TP, TActivation>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation =>
        ForwardAt<T, TP, TActivation, ViewIndexer>(index, a);

    /// <summary>Element (row, o) of ZBar = sigma'(Z) HBar, the cotangent every other derivative starts from.</summary>
    public static void PreActivationAdjoint<T, TActivation>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation =>
        PreActivationAdjointAt<T, TActivation, ViewIndexer>(index, a);

    /// <summary>Element (row, i) of XBar = W_x^T LBar, LBar the linear part's cotangent: ZBar, gated with Squash.</summary>
    public static void InputAdjoint<T, TP>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        InputAdjointAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Row r's TimeBar += dL/dt through the time column or the squash (or = with AssignTime).</summary>
    public static void TimeAdjoint<T, TP>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        TimeAdjointAt<T, TP, ViewIndexer>(index, a);

    /// <summary>
    /// Element (o, c) of WBar += sum over rows of LBar[r, o] [t, x][r, c]; the elements past the weights, one per output,
    /// are BBar[o] += sum over rows of LBar[r, o]; with Squash, then SquashBar's d, g and c parts.
    /// </summary>
    public static void ParameterAdjoint<T, TP>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        ParameterAdjointAt<T, TP, ViewIndexer>(index, a);

    /// <summary>
    /// Element (row, p) of each row's own parameter gradient: LBar[r, o] [t, x][r, c] for weight (o, c), then LBar[r, o]
    /// for bias o (then, with Squash, d, g and c), written at ParameterOffset of the row's [ParameterStride] slice (the
    /// differentiable-dynamics contract's per-row parameter part).
    /// </summary>
    public static void RowParameterAdjoint<T, TP>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        RowParameterAdjointAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Element (row, o) of HDot = sigma'(Z) (W_x V), gated with Squash: the layer's Jacobian-vector product in its input.</summary>
    public static void Tangent<T, TP, TActivation>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation =>
        TangentAt<T, TP, TActivation, ViewIndexer>(index, a);

    internal static void ForwardAt<T, TP, TActivation, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var row = e / a.Out;
        var o = (int)(e - row * a.Out);
        var weights = (long)o * (a.TimeColumn + a.In);
        var z = TAccess.At(a.B, o);
        if (a.TimeColumn != 0)
            z += TAccess.At(a.W, weights) * TP.FromDouble(TAccess.At(a.Time, row));
        z += Dot<T, TAccess>(a.W, weights + a.TimeColumn, 1, a.X, row * a.In, 1, a.In);
        if (a.Squash != 0)
        {
            TAccess.At(a.L, e) = z;
            var t = TP.FromDouble(TAccess.At(a.Time, row));
            z = z * Gate<T, TAccess>(a, o, t) + TAccess.At(a.D, o) * t;
        }
        TAccess.At(a.Z, e) = z;
        TAccess.At(a.H, e) = TActivation.Value(z);
    }

    internal static void PreActivationAdjointAt<T, TActivation, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        TAccess.At(a.ZBar, e) = TActivation.Derivative(TAccess.At(a.Z, e)) * TAccess.At(a.HBar, e);
    }

    internal static void InputAdjointAt<T, TP, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var row = e / a.In;
        var i = (int)(e - row * a.In);
        var columns = a.TimeColumn + a.In;
        var sum = T.Zero;
        for (var o = 0; o < a.Out; o++)
            sum += TAccess.At(a.W, (long)o * columns + a.TimeColumn + i) * LinearBar<T, TP, TAccess>(a, row, o);
        TAccess.At(a.XBar, e) = sum;
    }

    internal static void TimeAdjointAt<T, TP, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        long row = a.First + index;
        var sum = a.AssignTime != 0 ? T.Zero : TAccess.At(a.TimeBar, row);
        var t = TP.FromDouble(TAccess.At(a.Time, row));
        for (var o = 0; o < a.Out && (a.TimeColumn != 0 || a.Squash != 0); o++)
        {
            if (a.TimeColumn != 0)
                sum += TAccess.At(a.W, (long)o * (1 + a.In)) * LinearBar<T, TP, TAccess>(a, row, o);
            if (a.Squash != 0)
                sum += TAccess.At(a.ZBar, row * a.Out + o) * TAccess.At(a.D, o) + GateBar<T, TAccess>(a, row, o, t) * TAccess.At(a.G, o);
        }
        TAccess.At(a.TimeBar, row) = sum;
    }

    internal static void ParameterAdjointAt<T, TP, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var sum = T.Zero;
        for (long r = 0; r < a.Rows; r++)
            sum += RowParameter<T, TP, TAccess>(a, r, e);
        if (e < a.W.Length)
            TAccess.At(a.WBar, e) += sum;
        else if (e < a.W.Length + a.Out)
            TAccess.At(a.BBar, e - a.W.Length) += sum;
        else
            TAccess.At(a.SquashBar, e - a.W.Length - a.Out) += sum;
    }

    internal static void RowParameterAdjointAt<T, TP, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var count = a.ParameterCount;
        var row = e / count;
        var p = e - row * count;
        TAccess.At(a.RowParameterBar, row * a.ParameterStride + a.ParameterOffset + p) = RowParameter<T, TP, TAccess>(a, row, p);
    }

    internal static void TangentAt<T, TP, TActivation, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var row = e / a.Out;
        var o = (int)(e - row * a.Out);
        var sum = Dot<T, TAccess>(a.W, (long)o * (a.TimeColumn + a.In) + a.TimeColumn, 1, a.V, row * a.In, 1, a.In);
        if (a.Squash != 0)
            sum *= Gate<T, TAccess>(a, o, TP.FromDouble(TAccess.At(a.Time, row)));
        TAccess.At(a.HDot, e) = TActivation.Derivative(TAccess.At(a.Z, e)) * sum;
    }

    // Row r's part of parameter p of the layer: weight (o, c), bias o, then with Squash d, g and c of each output.
    private static T RowParameter<T, TP, TAccess>(in LinearLayerArgs<T> a, long row, long p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var columns = a.TimeColumn + a.In;
        if (p < a.W.Length)
            return LinearBar<T, TP, TAccess>(a, row, (int)(p / columns)) * Input<T, TP, TAccess>(a, row, (int)(p % columns));
        var k = (int)(p - a.W.Length);
        if (k < a.Out)
            return LinearBar<T, TP, TAccess>(a, row, k);
        var o = k % a.Out;
        var t = TP.FromDouble(TAccess.At(a.Time, row));
        if (k < 2 * a.Out)
            return TAccess.At(a.ZBar, row * a.Out + o) * t;
        var gate = GateBar<T, TAccess>(a, row, o, t);
        return k < 3 * a.Out ? gate * t : gate;
    }

    // The cotangent of the linear part W [t, x] + b: ZBar, times the gate with Squash.
    private static T LinearBar<T, TP, TAccess>(in LinearLayerArgs<T> a, long row, int o)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var zBar = TAccess.At(a.ZBar, row * a.Out + o);
        return a.Squash == 0 ? zBar : zBar * Gate<T, TAccess>(a, o, TP.FromDouble(TAccess.At(a.Time, row)));
    }

    // ConcatSquash's gate sigmoid(g t + c) of output o.
    private static T Gate<T, TAccess>(in LinearLayerArgs<T> a, int o, T t)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess =>
        Sigmoid.Value(TAccess.At(a.G, o) * t + TAccess.At(a.C, o));

    // The cotangent of the gate's argument g t + c: ZBar L sigmoid'(g t + c).
    private static T GateBar<T, TAccess>(in LinearLayerArgs<T> a, long row, int o, T t)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var gate = Gate<T, TAccess>(a, o, t);
        return TAccess.At(a.ZBar, row * a.Out + o) * TAccess.At(a.L, row * a.Out + o) * gate * (T.One - gate);
    }

    // Column c of row r's [t, x].
    private static T Input<T, TP, TAccess>(in LinearLayerArgs<T> a, long row, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess =>
        c < a.TimeColumn ? TP.FromDouble(TAccess.At(a.Time, row)) : TAccess.At(a.X, row * a.In + c - a.TimeColumn);

    // sum over k < count of u[uStart + k uStride] v[vStart + k vStride], in order.
    private static T Dot<T, TAccess>(ArrayView<T> u, long uStart, long uStride, ArrayView<T> v, long vStart, long vStride, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var sum = T.Zero;
        for (var k = 0; k < count; k++)
            sum += TAccess.At(u, uStart + k * uStride) * TAccess.At(v, vStart + k * vStride);
        return sum;
    }
}
