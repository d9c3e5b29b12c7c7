using System.Numerics;
using System.Runtime.InteropServices;
using OdeGpu.Neural;
using OdeGpu.Precision;

namespace OdeGpu.Device;

/// <summary>
/// The operations that have two implementations: the ILGPU kernel every accelerator runs, and a SIMD twin the direct CPU
/// launcher runs instead, where scalar loops leave most of the core unused. Tests hold each twin to its kernel. Keep
/// this list short: only what profiles show to be bound by the inner products.
/// </summary>
public static class SimdPrimitives
{
    // Rows per task when the rows are spread over the cores.
    private const int RowsPerTask = 128;

    /// <summary>
    /// A dense layer's forward pass, Z = W [t, x] + b and H = sigma(Z) for every row (<see cref="LinearLayerKernels.Forward"/>).
    /// On the direct CPU launcher each row's outputs are computed together in <see cref="Vector{T}"/> lanes, one
    /// multiply-add of a broadcast input with a row of W transposed per input feature; the sums then differ from the
    /// kernel's in their last bits only.
    /// </summary>
    public static void DenseForward<T, TP, TActivation>(OdeDevice device, in LinearLayerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        if (!device.IsDirect || !Vector.IsHardwareAccelerated)
        {
            device.LaunchElements(LinearLayerKernels.Forward<T, TP, TActivation>, (long)a.Rows * a.Out, a);
            return;
        }
        var transposed = Transposed(a);
        var args = a;
        var tasks = (a.Rows + RowsPerTask - 1) / RowsPerTask;
        if (tasks > 1 && Environment.ProcessorCount > 1)
            Parallel.For(0, tasks, task => DenseRows<T, TP, TActivation>(args, transposed, task * RowsPerTask, Math.Min(args.Rows, (task + 1) * RowsPerTask)));
        else
            DenseRows<T, TP, TActivation>(args, transposed, 0, a.Rows);
    }

    // The x columns of W as [In x Out], so that the weights of one input to every output are contiguous.
    private static T[] Transposed<T>(in LinearLayerArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Host(a.W, a.W.Length);
        var columns = a.TimeColumn + a.In;
        var transposed = new T[a.In * a.Out];
        for (var o = 0; o < a.Out; o++)
            for (var i = 0; i < a.In; i++)
                transposed[i * a.Out + o] = w[o * columns + a.TimeColumn + i];
        return transposed;
    }

    private static void DenseRows<T, TP, TActivation>(LinearLayerArgs<T> a, T[] transposed, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        int outputs = a.Out, inputs = a.In, columns = a.TimeColumn + a.In;
        var w = Host(a.W, a.W.Length);
        var b = Host(a.B, outputs);
        var x = Host(a.X, (long)a.Rows * inputs);
        var zAll = Host(a.Z, (long)a.Rows * outputs);
        var hAll = Host(a.H, (long)a.Rows * outputs);
        var lanes = Vector<T>.Count;
        var vectorEnd = outputs - outputs % lanes;
        for (var r = first; r < end; r++)
        {
            var z = zAll.Slice(r * outputs, outputs);
            b.CopyTo(z);
            if (a.TimeColumn != 0)
            {
                var t = TP.FromDouble(HostViewAccess.At(a.Time, r));
                for (var o = 0; o < outputs; o++)
                    z[o] += w[o * columns] * t;
            }
            var row = x.Slice(r * inputs, inputs);
            for (var i = 0; i < inputs; i++)
            {
                var weights = transposed.AsSpan(i * outputs, outputs);
                var input = new Vector<T>(row[i]);
                for (var o = 0; o < vectorEnd; o += lanes)
                    (new Vector<T>(z[o..]) + input * new Vector<T>(weights[o..])).CopyTo(z[o..]);
                for (var o = vectorEnd; o < outputs; o++)
                    z[o] += row[i] * weights[o];
            }
            var h = hAll.Slice(r * outputs, outputs);
            for (var o = 0; o < outputs; o++)
                h[o] = TActivation.Value(z[o]);
        }
    }

    // The host memory behind a view of the direct launcher.
    private static Span<T> Host<T>(ILGPU.ArrayView<T> view, long length) where T : unmanaged =>
        length == 0 ? [] : MemoryMarshal.CreateSpan(ref HostViewAccess.At(view, 0), (int)length);
}
