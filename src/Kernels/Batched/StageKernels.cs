using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Batched;

/// <summary>Arguments of <see cref="StageKernels.Combine{T, TP}"/>.</summary>
public struct CombineArgs<T> : IElementArgs<CombineArgs<T>> where T : unmanaged
{
    /// <summary>The state at the start of the step, [rows x dim].</summary>
    public ArrayView<T> Y;

    /// <summary>All stage derivatives, [stage][rows x dim].</summary>
    public ArrayView<T> K;

    /// <summary>The stage input written by the kernel, [rows x dim].</summary>
    public ArrayView<T> Output;

    /// <summary>Row s of the Butcher matrix: the weights of stages 0..Count-1.</summary>
    public ArrayView<double> Coefficients;

    /// <summary>How many stages the combination reads.</summary>
    public int Count;

    /// <summary>The stage's node c_s: it is evaluated at t + c_s h.</summary>
    public double Node;

    /// <summary>The state dimension.</summary>
    public int Dimension;

    /// <summary>rows x dim.</summary>
    public long Length;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly CombineArgs<T> From(long first) => this with { First = first };

    /// <summary>The time each row's step starts at.</summary>
    public ArrayView<double> BaseTime;

    /// <summary>Each row's signed step.</summary>
    public ArrayView<double> Step;

    /// <summary>Written: the time of the stage, per row.</summary>
    public ArrayView<double> StageTime;

    /// <summary>Rows whose entry is at least <see cref="MaskValue"/> take part.</summary>
    public ArrayView<int> Mask;

    /// <summary>The smallest <see cref="Mask"/> entry that takes part (1 for running rows).</summary>
    public int MaskValue;

    /// <summary>Counts one evaluation per participating row.</summary>
    public ArrayView<int> Evaluations;
}

/// <summary>Stage inputs of an explicit Runge-Kutta step over a batch.</summary>
public static class StageKernels
{
    /// <summary>Output = Y + h sum_j a_sj K_j for one element of the batch, and the stage time of its row.</summary>
    public static void Combine<T, TP>(Index1D index, CombineArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        CombineAt<T, TP, ViewIndexer>(index, a);

    // The body at one index, the arguments by reference: the direct CPU launcher calls it without copying them.
    internal static void CombineAt<T, TP, TAccess>(Index1D index, in CombineArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var row = BatchIndex.Row(i, a.Dimension);
        if (TAccess.At(a.Mask, row) < a.MaskValue)
            return;
        var h = TAccess.At(a.Step, row);
        var sum = T.Zero;
        for (var j = 0; j < a.Count; j++)
        {
            var w = TAccess.At(a.Coefficients, j);
            if (w != 0.0)
                sum += TP.FromDouble(w * h) * TAccess.At(a.K, BatchIndex.Stage(j, a.Length, i));
        }
        TAccess.At(a.Output, i) = TAccess.At(a.Y, i) + sum;
        if (BatchIndex.Component(i, row, a.Dimension) == 0)
        {
            TAccess.At(a.StageTime, row) = TAccess.At(a.BaseTime, row) + a.Node * h;
            TAccess.At(a.Evaluations, row) += 1;
        }
    }
}
