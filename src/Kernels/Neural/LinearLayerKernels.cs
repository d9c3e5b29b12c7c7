using System.Numerics;
using ILGPU;
using OdeGpu.Precision;

namespace OdeGpu.Neural;

/// <summary>
/// A dense layer h = sigma(W [t, x] + b) over rows, and its derivatives, one output element per thread. The parameter
/// gradient of a weight is the sum over the rows taken in row order by one thread, so it is the same on every run and
/// needs no atomics.
/// </summary>
public static class LinearLayerKernels
{
    /// <summary>Element (row, o) of Z = W [t, x] + b and H = sigma(Z).</summary>
    public static void Forward<T, TP, TActivation>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        var e = a.First + index;
        var row = e / a.Out;
        var o = (int)(e - row * a.Out);
        var columns = a.TimeColumn + a.In;
        var weights = (long)o * columns;
        var z = a.B[o];
        if (a.TimeColumn != 0)
            z += a.W[weights] * TP.FromDouble(a.Time[row]);
        for (var i = 0; i < a.In; i++)
            z += a.W[weights + a.TimeColumn + i] * a.X[row * a.In + i];
        a.Z[e] = z;
        a.H[e] = TActivation.Value(z);
    }

    /// <summary>Element (row, o) of ZBar = sigma'(Z) HBar, the cotangent every other derivative starts from.</summary>
    public static void PreActivationAdjoint<T, TActivation>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
    {
        var e = a.First + index;
        a.ZBar[e] = TActivation.Derivative(a.Z[e]) * a.HBar[e];
    }

    /// <summary>Element (row, i) of XBar = W_x^T ZBar.</summary>
    public static void InputAdjoint<T>(Index1D index, LinearLayerArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = a.First + index;
        var row = e / a.In;
        var i = (int)(e - row * a.In);
        var columns = a.TimeColumn + a.In;
        var sum = T.Zero;
        for (var o = 0; o < a.Out; o++)
            sum += a.W[(long)o * columns + a.TimeColumn + i] * a.ZBar[row * a.Out + o];
        a.XBar[e] = sum;
    }

    /// <summary>Row r's TimeBar += W_t^T ZBar, the derivative through the time column (or = with AssignTime).</summary>
    public static void TimeAdjoint<T>(Index1D index, LinearLayerArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long row = a.First + index;
        var columns = a.TimeColumn + a.In;
        var sum = a.AssignTime != 0 ? T.Zero : a.TimeBar[row];
        for (var o = 0; o < a.Out * a.TimeColumn; o++)
            sum += a.W[(long)o * columns] * a.ZBar[row * a.Out + o];
        a.TimeBar[row] = sum;
    }

    /// <summary>
    /// Element (row, p) of each row's own parameter gradient: ZBar[r, o] [t, x][r, c] for weight (o, c), then ZBar[r, o]
    /// for bias o, written at ParameterOffset of the row's [ParameterStride] slice (the differentiable-dynamics
    /// contract's per-row parameter part).
    /// </summary>
    public static void RowParameterAdjoint<T, TP>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var e = a.First + index;
        var columns = a.TimeColumn + a.In;
        var weights = a.Out * columns;
        var count = weights + a.Out;
        var row = e / count;
        var p = (int)(e - row * count);
        T value;
        if (p >= weights)
        {
            value = a.ZBar[row * a.Out + p - weights];
        }
        else
        {
            var o = p / columns;
            var c = p - o * columns;
            var input = c < a.TimeColumn ? TP.FromDouble(a.Time[row]) : a.X[row * a.In + c - a.TimeColumn];
            value = a.ZBar[row * a.Out + o] * input;
        }
        a.RowParameterBar[row * a.ParameterStride + a.ParameterOffset + p] = value;
    }

    /// <summary>
    /// Element (o, c) of WBar += sum over rows of ZBar[r, o] [t, x][r, c]; the elements past the weights, one per output,
    /// are BBar[o] += sum over rows of ZBar[r, o].
    /// </summary>
    public static void ParameterAdjoint<T, TP>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var e = a.First + index;
        var columns = a.TimeColumn + a.In;
        var weights = (long)a.Out * columns;
        var sum = T.Zero;
        if (e >= weights)
        {
            var o = (int)(e - weights);
            for (long r = 0; r < a.Rows; r++)
                sum += a.ZBar[r * a.Out + o];
            a.BBar[o] += sum;
            return;
        }
        var output = (int)(e / columns);
        var c = (int)(e - (long)output * columns);
        var isTime = c < a.TimeColumn;
        for (long r = 0; r < a.Rows; r++)
        {
            var input = isTime ? TP.FromDouble(a.Time[r]) : a.X[r * a.In + c - a.TimeColumn];
            sum += a.ZBar[r * a.Out + output] * input;
        }
        a.WBar[e] += sum;
    }

    /// <summary>Element (row, o) of HDot = sigma'(Z) (W_x V): the layer's Jacobian-vector product in its input.</summary>
    public static void Tangent<T, TActivation>(Index1D index, LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
    {
        var e = a.First + index;
        var row = e / a.Out;
        var o = (int)(e - row * a.Out);
        var columns = a.TimeColumn + a.In;
        var sum = T.Zero;
        for (var i = 0; i < a.In; i++)
            sum += a.W[(long)o * columns + a.TimeColumn + i] * a.V[row * a.In + i];
        a.HDot[e] = TActivation.Derivative(a.Z[e]) * sum;
    }
}
