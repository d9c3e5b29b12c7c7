using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural;

/// <summary>
/// A classifier's head as odenet_mnist has it: global average pooling (AdaptiveAvgPool2d((1, 1))) with its VJP, and the
/// mean softmax cross-entropy (F.cross_entropy) with its gradient in the logits, computed through the largest logit so
/// that no exponential overflows.
/// </summary>
public static class ClassifierHeadKernels
{
    /// <summary>(row, c): Pooled = the mean of the channel's pixels.</summary>
    public static void Pool<T, TP>(Index1D index, ClassifierHeadArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        PoolAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Element (row, c, p): MapsBar = Pooled's cotangent at (row, c) / Pixels.</summary>
    public static void PoolAdjoint<T, TP>(Index1D index, ClassifierHeadArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        PoolAdjointAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Row r: its loss and its row of LogitsBar.</summary>
    public static void CrossEntropy<T, TP>(Index1D index, ClassifierHeadArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        CrossEntropyAt<T, TP, ViewIndexer>(index, a);

    internal static void PoolAt<T, TP, TAccess>(Index1D index, in ClassifierHeadArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        var sum = T.Zero;
        for (long p = 0; p < a.Pixels; p++)
            sum += TAccess.At(a.Maps, e * a.Pixels + p);
        TAccess.At(a.Pooled, e) = sum / TP.FromDouble(a.Pixels);
    }

    internal static void PoolAdjointAt<T, TP, TAccess>(Index1D index, in ClassifierHeadArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var e = a.First + index;
        TAccess.At(a.MapsBar, e) = TAccess.At(a.Pooled, e / a.Pixels) / TP.FromDouble(a.Pixels);
    }

    internal static void CrossEntropyAt<T, TP, TAccess>(Index1D index, in ClassifierHeadArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        long row = a.First + index;
        var start = row * a.Classes;
        var largest = TAccess.At(a.Logits, start);
        for (var k = 1; k < a.Classes; k++)
            largest = T.Max(largest, TAccess.At(a.Logits, start + k));
        var sum = T.Zero;
        for (var k = 0; k < a.Classes; k++)
            sum += T.Exp(TAccess.At(a.Logits, start + k) - largest);
        var label = TAccess.At(a.Labels, row);
        TAccess.At(a.Loss, row) = largest + T.Log(sum) - TAccess.At(a.Logits, start + label);
        var rows = TP.FromDouble(a.Rows);
        for (var k = 0; k < a.Classes; k++)
            TAccess.At(a.LogitsBar, start + k) = (T.Exp(TAccess.At(a.Logits, start + k) - largest) / sum - (k == label ? T.One : T.Zero)) / rows;
    }
}
