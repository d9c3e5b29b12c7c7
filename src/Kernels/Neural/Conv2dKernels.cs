using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural;

/// <summary>
/// A 2-D convolution (PyTorch's Conv2d, and torchdiffeq's ConcatConv2d with a time channel) and its VJP, one element
/// per thread. The weights' and the bias's gradients are sums over the rows taken in row order by one thread, so they
/// are the same on every run and need no atomics.
/// </summary>
public static class Conv2dKernels
{
    /// <summary>Output element (row, o, y, x): b[o] + the sum over channels and the kernel of W times the padded input.</summary>
    public static void Forward<T, TP>(Index1D index, Conv2dArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        ForwardAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Input element (row, c, y, x): the sum of W times YBar over the outputs whose window covers it.</summary>
    public static void InputAdjoint<T>(Index1D index, Conv2dArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        InputAdjointAt<T, ViewIndexer>(index, a);

    /// <summary>
    /// Weight element (o, c, ky, kx): the sum over rows and output pixels of YBar times the input under it; the elements
    /// past the weights, one per output channel, are the bias's: the sum of YBar.
    /// </summary>
    public static void ParameterAdjoint<T, TP>(Index1D index, Conv2dArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        ParameterAdjointAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Row r's TimeBar: the sum of the time channel's weights times YBar over the pixels inside the input.</summary>
    public static void TimeAdjoint<T>(Index1D index, Conv2dArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        TimeAdjointAt<T, ViewIndexer>(index, a);

    internal static void ForwardAt<T, TP, TAccess>(Index1D index, in Conv2dArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        int outHeight = a.OutHeight, outWidth = a.OutWidth, channels = a.TimeChannel + a.In;
        var x = (int)(e % outWidth);
        var y = (int)(e / outWidth % outHeight);
        var o = (int)(e / ((long)outWidth * outHeight) % a.Out);
        var row = e / ((long)outWidth * outHeight * a.Out);
        var sum = a.B.Length > 0 ? TAccess.At(a.B, o) : T.Zero;
        var t = a.TimeChannel != 0 ? TP.FromDouble(TAccess.At(a.Time, row)) : T.Zero;
        for (var c = 0; c < channels; c++)
        {
            for (var ky = 0; ky < a.Kernel; ky++)
            {
                var iy = y * a.Stride + ky - a.Padding;
                if (iy < 0 || iy >= a.Height)
                    continue;
                for (var kx = 0; kx < a.Kernel; kx++)
                {
                    var ix = x * a.Stride + kx - a.Padding;
                    if (ix < 0 || ix >= a.Width)
                        continue;
                    var input = c < a.TimeChannel ? t : TAccess.At(a.X, ((row * a.In + c - a.TimeChannel) * a.Height + iy) * a.Width + ix);
                    sum += TAccess.At(a.W, (((long)o * channels + c) * a.Kernel + ky) * a.Kernel + kx) * input;
                }
            }
        }
        TAccess.At(a.Y, e) = sum;
    }

    internal static void InputAdjointAt<T, TAccess>(Index1D index, in Conv2dArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var ix = (int)(e % a.Width);
        var iy = (int)(e / a.Width % a.Height);
        var c = (int)(e / ((long)a.Width * a.Height) % a.In);
        var row = e / ((long)a.Width * a.Height * a.In);
        TAccess.At(a.XBar, e) = WindowSum<T, TAccess>(a, row, a.TimeChannel + c, iy, ix);
    }

    internal static void ParameterAdjointAt<T, TP, TAccess>(Index1D index, in Conv2dArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        int outHeight = a.OutHeight, outWidth = a.OutWidth, channels = a.TimeChannel + a.In;
        if (e >= a.W.Length)
        {
            var bias = e - a.W.Length;
            var total = T.Zero;
            for (long row = 0; row < a.Rows; row++)
                for (long p = 0; p < (long)outHeight * outWidth; p++)
                    total += TAccess.At(a.YBar, (row * a.Out + bias) * outHeight * outWidth + p);
            TAccess.At(a.BBar, bias) = total;
            return;
        }
        var kx = (int)(e % a.Kernel);
        var ky = (int)(e / a.Kernel % a.Kernel);
        var c = (int)(e / ((long)a.Kernel * a.Kernel) % channels);
        var o = (int)(e / ((long)a.Kernel * a.Kernel * channels));
        var sum = T.Zero;
        for (long row = 0; row < a.Rows; row++)
        {
            var t = a.TimeChannel != 0 ? TP.FromDouble(TAccess.At(a.Time, row)) : T.Zero;
            for (var y = 0; y < outHeight; y++)
            {
                var iy = y * a.Stride + ky - a.Padding;
                if (iy < 0 || iy >= a.Height)
                    continue;
                for (var x = 0; x < outWidth; x++)
                {
                    var ix = x * a.Stride + kx - a.Padding;
                    if (ix < 0 || ix >= a.Width)
                        continue;
                    var input = c < a.TimeChannel ? t : TAccess.At(a.X, ((row * a.In + c - a.TimeChannel) * a.Height + iy) * a.Width + ix);
                    sum += TAccess.At(a.YBar, ((row * a.Out + o) * outHeight + y) * outWidth + x) * input;
                }
            }
        }
        TAccess.At(a.WBar, e) = sum;
    }

    internal static void TimeAdjointAt<T, TAccess>(Index1D index, in Conv2dArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        long row = a.First + index;
        var sum = T.Zero;
        for (var iy = 0; iy < a.Height && a.TimeChannel != 0; iy++)
            for (var ix = 0; ix < a.Width; ix++)
                sum += WindowSum<T, TAccess>(a, row, 0, iy, ix);
        TAccess.At(a.TimeBar, row) = sum;
    }

    // The cotangent of input channel c (the time channel counted) at (iy, ix) of row `row`: W times YBar over every
    // output whose window covers that pixel.
    private static T WindowSum<T, TAccess>(in Conv2dArgs<T> a, long row, int c, int iy, int ix)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        int outHeight = a.OutHeight, outWidth = a.OutWidth, channels = a.TimeChannel + a.In;
        var sum = T.Zero;
        for (var ky = 0; ky < a.Kernel; ky++)
        {
            var sy = iy + a.Padding - ky;
            if (sy < 0 || sy % a.Stride != 0 || sy / a.Stride >= outHeight)
                continue;
            for (var kx = 0; kx < a.Kernel; kx++)
            {
                var sx = ix + a.Padding - kx;
                if (sx < 0 || sx % a.Stride != 0 || sx / a.Stride >= outWidth)
                    continue;
                for (var o = 0; o < a.Out; o++)
                    sum += TAccess.At(a.W, (((long)o * channels + c) * a.Kernel + ky) * a.Kernel + kx)
                        * TAccess.At(a.YBar, ((row * a.Out + o) * outHeight + sy / a.Stride) * outWidth + sx / a.Stride);
            }
        }
        return sum;
    }
}
