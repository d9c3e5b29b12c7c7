using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural;

/// <summary>
/// A dense layer h = sigma(W [t, x] + b) over rows, and its derivatives, one output element per thread. The parameter
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

    /// <summary>Element (row, i) of XBar = W_x^T ZBar.</summary>
    public static void InputAdjoint<T>(Index1D index, LinearLayerArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        InputAdjointAt<T, ViewIndexer>(index, a);

    /// <summary>Row r's TimeBar += W_t^T ZBar, the derivative through the time column (or = with AssignTime).</summary>
    public static void TimeAdjoint<T>(Index1D index, LinearLayerArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        TimeAdjointAt<T, ViewIndexer>(index, a);

    /// <summary>
    /// Element (o, c) of WBar += sum over rows of ZBar[r, o] [t, x][r, c]; the elements past the weights, one per output,
    /// are BBar[o] += sum over rows of ZBar[r, o].
    /// </summary>
    public static void ParameterAdjoint<T, TP>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        ParameterAdjointAt<T, TP, ViewIndexer>(index, a);

    /// <summary>
    /// Element (row, p) of each row's own parameter gradient: ZBar[r, o] [t, x][r, c] for weight (o, c), then ZBar[r, o]
    /// for bias o, written at ParameterOffset of the row's [ParameterStride] slice (the differentiable-dynamics
    /// contract's per-row parameter part).
    /// </summary>
    public static void RowParameterAdjoint<T, TP>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        RowParameterAdjointAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Element (row, o) of HDot = sigma'(Z) (W_x V): the layer's Jacobian-vector product in its input.</summary>
    public static void Tangent<T, TActivation>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation =>
        TangentAt<T, TActivation, ViewIndexer>(index, a);

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

    internal static void InputAdjointAt<T, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var row = e / a.In;
        var i = (int)(e - row * a.In);
        TAccess.At(a.XBar, e) = Dot<T, TAccess>(a.W, a.TimeColumn + i, a.TimeColumn + a.In, a.ZBar, row * a.Out, 1, a.Out);
    }

    internal static void TimeAdjointAt<T, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        long row = a.First + index;
        var sum = a.AssignTime != 0 ? T.Zero : TAccess.At(a.TimeBar, row);
        if (a.TimeColumn != 0)
            sum += Dot<T, TAccess>(a.W, 0, 1 + a.In, a.ZBar, row * a.Out, 1, a.Out);
        TAccess.At(a.TimeBar, row) = sum;
    }

    internal static void ParameterAdjointAt<T, TP, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var columns = a.TimeColumn + a.In;
        var weights = (long)a.Out * columns;
        var sum = T.Zero;
        if (e >= weights)
        {
            var o = (int)(e - weights);
            for (long r = 0; r < a.Rows; r++)
                sum += TAccess.At(a.ZBar, r * a.Out + o);
            TAccess.At(a.BBar, o) += sum;
            return;
        }
        var output = (int)(e / columns);
        var c = (int)(e - (long)output * columns);
        for (long r = 0; r < a.Rows; r++)
            sum += TAccess.At(a.ZBar, r * a.Out + output) * Input<T, TP, TAccess>(a, r, c);
        TAccess.At(a.WBar, e) += sum;
    }

    internal static void RowParameterAdjointAt<T, TP, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var columns = a.TimeColumn + a.In;
        var weights = a.Out * columns;
        var count = weights + a.Out;
        var row = e / count;
        var p = (int)(e - row * count);
        var value = p >= weights
            ? TAccess.At(a.ZBar, row * a.Out + p - weights)
            : TAccess.At(a.ZBar, row * a.Out + p / columns) * Input<T, TP, TAccess>(a, row, p % columns);
        TAccess.At(a.RowParameterBar, row * a.ParameterStride + a.ParameterOffset + p) = value;
    }

    internal static void TangentAt<T, TActivation, TAccess>(Index1D index, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var row = e / a.Out;
        var o = (int)(e - row * a.Out);
        var sum = Dot<T, TAccess>(a.W, (long)o * (a.TimeColumn + a.In) + a.TimeColumn, 1, a.V, row * a.In, 1, a.In);
        TAccess.At(a.HDot, e) = TActivation.Derivative(TAccess.At(a.Z, e)) * sum;
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
