using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Batched;

/// <summary>Arguments of <see cref="ErrorKernels.Propose{T, TP}"/>.</summary>
public struct ProposeArgs<T> : IElementArgs<ProposeArgs<T>> where T : unmanaged
{
    /// <summary>The state at the start of the step.</summary>
    public ArrayView<T> Y;

    /// <summary>Stage derivatives, [stage][rows x dim].</summary>
    public ArrayView<T> K;

    /// <summary>Written: the proposed state at the end of the step.</summary>
    public ArrayView<T> YNew;

    /// <summary>Solution weights b.</summary>
    public ArrayView<double> Weights;

    /// <summary>Error weights (b - b_hat), or the fifth-order estimate of DOP853.</summary>
    public ArrayView<double> ErrorWeights;

    /// <summary>DOP853's third-order error weights; empty for single-estimate methods.</summary>
    public ArrayView<double> ErrorWeights3;

    /// <summary>Stages read by the weights.</summary>
    public int StageCount;

    /// <summary>Absolute tolerance per component.</summary>
    public ArrayView<double> Atol;

    /// <summary>Relative tolerance.</summary>
    public double Rtol;

    /// <summary>Written: squared scaled error per element, in the state's precision (see <see cref="ErrorNorm"/>).</summary>
    public ArrayView<T> ErrorSquares;

    /// <summary>Written: squared scaled third-order error per element (DOP853 only).</summary>
    public ArrayView<T> ErrorSquares3;

    /// <summary>Each row's signed step.</summary>
    public ArrayView<double> Step;

    /// <summary>Rows with a nonzero entry take part.</summary>
    public ArrayView<int> Active;

    /// <summary>The state dimension.</summary>
    public int Dimension;

    /// <summary>rows x dim.</summary>
    public long Length;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly ProposeArgs<T> From(long first) => this with { First = first };
}

/// <summary>Arguments of the error-norm reductions.</summary>
public struct NormArgs<T> where T : unmanaged
{
    /// <summary>Squared scaled errors per element.</summary>
    public ArrayView<T> ErrorSquares;

    /// <summary>Squared scaled third-order errors per element (DOP853 only).</summary>
    public ArrayView<T> ErrorSquares3;

    /// <summary>Written: the row sums of <see cref="ErrorSquares"/>.</summary>
    public ArrayView<double> RowSums;

    /// <summary>Written: the row sums of <see cref="ErrorSquares3"/>.</summary>
    public ArrayView<double> RowSums3;

    /// <summary>Written: the error norm each row's controller sees.</summary>
    public ArrayView<double> ErrorNorm;

    /// <summary>Rows with a nonzero entry take part.</summary>
    public ArrayView<int> Active;

    /// <summary>The state dimension.</summary>
    public int Dimension;

    /// <summary>Components the norm averages over (<see cref="ControlSettings.NormComponents"/>).</summary>
    public int NormComponents;

    /// <summary>Number of rows.</summary>
    public int Rows;

    /// <summary>1 for DOP853's combined fifth/third-order estimate.</summary>
    public int TwoEstimates;
}

/// <summary>The proposed step, its local error estimate and the RMS error norm.</summary>
public static class ErrorKernels
{
    /// <summary>
    /// YNew = Y + h sum b_j K_j and the squared error scaled by atol + rtol max(|y|, |ynew|), in T, for one element.
    /// A non-finite YNew makes its error NaN, which the controller reports as <see cref="TrajectoryStatus.NonFinite"/>.
    /// </summary>
    public static void Propose<T, TP>(Index1D index, ProposeArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        ProposeAt<T, TP, ViewIndexer>(index, a);

    // The body at one index, the arguments by reference: the direct CPU launcher calls it without copying them.
    internal static void ProposeAt<T, TP, TAccess>(Index1D index, in ProposeArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var row = BatchIndex.Row(i, a.Dimension);
        if (TAccess.At(a.Active, row) == 0)
            return;
        var h = TAccess.At(a.Step, row);
        T sum = T.Zero, err = T.Zero, err3 = T.Zero;
        var two = a.ErrorWeights3.Length > 0;
        for (var j = 0; j < a.StageCount; j++)
        {
            var k = TAccess.At(a.K, BatchIndex.Stage(j, a.Length, i));
            sum += TP.FromDouble(TAccess.At(a.Weights, j) * h) * k;
            err += TP.FromDouble(TAccess.At(a.ErrorWeights, j) * h) * k;
            if (two)
                err3 += TP.FromDouble(TAccess.At(a.ErrorWeights3, j) * h) * k;
        }
        var y = TAccess.At(a.Y, i);
        var yNew = y + sum;
        TAccess.At(a.YNew, i) = yNew;
        // The fused kernel's IStateVector.ScaledSquares, term for term, so both modes see the same norm.
        var scale = TP.FromDouble(TAccess.At(a.Atol, BatchIndex.Component(i, row, a.Dimension))) + TP.FromDouble(a.Rtol) * T.Max(T.Abs(y), T.Abs(yNew));
        var e = err / scale;
        TAccess.At(a.ErrorSquares, i) = T.IsFinite(yNew) ? e * e : T.NaN;
        if (two)
        {
            var e3 = err3 / scale;
            TAccess.At(a.ErrorSquares3, i) = e3 * e3;
        }
    }

    /// <summary>Each row's own error norm (per-row step sizes): its squares summed in T, in component order.</summary>
    public static void RowNorm<T, TP>(Index1D index, NormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        RowNormAt<T, TP, ViewIndexer>(index, a);

    // The body at one index, the arguments by reference: the direct CPU launcher calls it without copying them.
    internal static void RowNormAt<T, TP, TAccess>(Index1D index, in NormArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        int row = index;
        if (TAccess.At(a.Active, row) == 0)
            return;
        T sum = T.Zero, sum3 = T.Zero;
        var start = (long)row * a.Dimension;
        for (var d = 0; d < a.Dimension; d++)
        {
            sum += TAccess.At(a.ErrorSquares, start + d);
            if (a.TwoEstimates != 0)
                sum3 += TAccess.At(a.ErrorSquares3, start + d);
        }
        TAccess.At(a.RowSums, row) = TP.ToDouble(sum);
        TAccess.At(a.RowSums3, row) = TP.ToDouble(sum3);
        TAccess.At(a.ErrorNorm, row) = ErrorNorm.FromSums(TP.ToDouble(sum), TP.ToDouble(sum3), a.NormComponents, a.TwoEstimates);
    }

    /// <summary>
    /// One norm over every active row whose own norm is finite (one shared step for the batch); run with one index.
    /// Rows with a NaN norm keep it, so they fail alone.
    /// </summary>
    public static void SharedNorm<T>(Index1D index, NormArgs<T> a) where T : unmanaged
    {
        double sum = 0, sum3 = 0;
        var count = 0;
        for (var row = 0; row < a.Rows; row++)
        {
            if (a.Active[row] == 0 || double.IsNaN(a.ErrorNorm[row]))
                continue;
            sum += a.RowSums[row];
            sum3 += a.RowSums3[row];
            count++;
        }
        var norm = ErrorNorm.FromSums(sum, sum3, Math.Max(count, 1) * a.NormComponents, a.TwoEstimates);
        for (var row = 0; row < a.Rows; row++)
        {
            if (a.Active[row] != 0 && !double.IsNaN(a.ErrorNorm[row]))
                a.ErrorNorm[row] = norm;
        }
    }
}
