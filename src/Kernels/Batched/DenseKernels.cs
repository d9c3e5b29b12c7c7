using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Batched;

/// <summary>Arguments of <see cref="DenseKernels.Interpolate{T, TP}"/>.</summary>
public struct DenseArgs<T> where T : unmanaged
{
    /// <summary>Per-row bookkeeping (after the controller advanced Time).</summary>
    public RowState State;

    /// <summary>The state at the start of the accepted step.</summary>
    public ArrayView<T> Y;

    /// <summary>The state at its end.</summary>
    public ArrayView<T> YNew;

    /// <summary>All stage derivatives, including f(t1, y1) and any extra interpolation stages.</summary>
    public ArrayView<T> K;

    /// <summary>Written: [rows][outputs][dim].</summary>
    public ArrayView<T> Output;

    /// <summary>The output times.</summary>
    public ArrayView<double> Times;

    /// <summary>Interpolant coefficients [dense stage][power 1..Degree]: y(t0 + theta h) = y0 + h sum_j b_j(theta) K_j.</summary>
    public ArrayView<double> Coefficients;

    /// <summary>Which stage of K each row of <see cref="Coefficients"/> weights.</summary>
    public ArrayView<int> Stages;

    /// <summary>Rows of <see cref="Coefficients"/>.</summary>
    public int StageCount;

    /// <summary>Highest power of theta.</summary>
    public int Degree;

    /// <summary>The state dimension.</summary>
    public int Dimension;

    /// <summary>rows x dim.</summary>
    public long Length;

    /// <summary>Number of output times.</summary>
    public int OutputCount;

    /// <summary>+1 forwards, -1 backwards.</summary>
    public double Direction;
}

/// <summary>Output at requested times by the method's interpolant over the accepted step.</summary>
public static class DenseKernels
{
    /// <summary>Writes every output time the row's accepted step covers.</summary>
    public static void Interpolate<T, TP>(Index1D index, DenseArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        InterpolateAt<T, TP, ViewIndexer>(index, a);

    // The body at one index, the arguments by reference: the direct CPU launcher calls it without copying them.
    internal static void InterpolateAt<T, TP, TAccess>(Index1D index, in DenseArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        int row = index;
        ref readonly var s = ref a.State;
        if (TAccess.At(s.NeedsOutput, row) == 0)
            return;
        var h = TAccess.At(s.UsedStep, row);
        var t0 = TAccess.At(s.PrevTime, row);
        var t1 = TAccess.At(s.Time, row);
        var next = TAccess.At(s.NextOutput, row);
        var start = (long)row * a.Dimension;
        while (next < a.OutputCount && a.Direction * (TAccess.At(a.Times, next) - t1) <= 0)
        {
            var target = BatchIndex.Output(row, a.OutputCount, next, a.Dimension);
            var t = TAccess.At(a.Times, next);
            if (t == t1)
            {
                for (var d = 0; d < a.Dimension; d++)
                    TAccess.At(a.Output, target + d) = TAccess.At(a.YNew, start + d);
            }
            else
            {
                var theta = (t - t0) / h;
                for (var d = 0; d < a.Dimension; d++)
                    TAccess.At(a.Output, target + d) = TAccess.At(a.Y, start + d) + Increment<T, TP, TAccess>(a, theta, h, start + d);
            }
            next++;
        }
        TAccess.At(s.NextOutput, row) = next;
    }

    private static T Increment<T, TP, TAccess>(in DenseArgs<T> a, double theta, double h, long element)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var sum = T.Zero;
        for (var j = 0; j < a.StageCount; j++)
        {
            // Horner over powers Degree..1 of theta
            var w = 0.0;
            for (var p = a.Degree - 1; p >= 0; p--)
                w = (w + TAccess.At(a.Coefficients, j * a.Degree + p)) * theta;
            if (w != 0.0)
                sum += TP.FromDouble(w * h) * TAccess.At(a.K, BatchIndex.Stage(TAccess.At(a.Stages, j), a.Length, element));
        }
        return sum;
    }
}
