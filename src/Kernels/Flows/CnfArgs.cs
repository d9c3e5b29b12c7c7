using ILGPU;

namespace OdeGpu.Flows;

/// <summary>
/// Arguments of <see cref="CnfKernels"/>: a continuous normalizing flow's augmented rows [z, delta log p, kinetic,
/// Frobenius] (the last two only when their regularizer is on) over a dense network f(z, t) in
/// OdeGpu.Neural.MlpDynamics's parameter layout. The rows are worked in slices of
/// <see cref="RowsPerSlice"/>, one slice per thread: a slice owns its scratch and its partial sum of the parameter
/// gradient, so the sum over rows needs no atomics and is the same on every run.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct CnfArgs<T> where T : unmanaged
{
    /// <summary>Each row's time, [rows].</summary>
    public ArrayView<double> Time;

    /// <summary>Augmented states, [rows x Width].</summary>
    public ArrayView<T> Y;

    /// <summary>Written: the augmented derivative F, [rows x Width].</summary>
    public ArrayView<T> Dy;

    /// <summary>Cotangents of F, [rows x Width] (VJP), or tangents of y (JVP).</summary>
    public ArrayView<T> A;

    /// <summary>Written: a^T dF/dy (VJP) or (dF/dy) v (JVP), [rows x Width].</summary>
    public ArrayView<T> AY;

    /// <summary>Written: a^T dF/dt, [rows].</summary>
    public ArrayView<T> ATime;

    /// <summary>Written: each slice's a^T dF/dtheta summed over its rows, [slices x ParameterCount].</summary>
    public ArrayView<T> Partials;

    /// <summary>Written by <see cref="CnfKernels.SumSlices"/>: the slices' partial sums added in slice order, [ParameterCount].</summary>
    public ArrayView<T> ThetaBar;

    /// <summary>The network's parameters, flat in MlpDynamics' order.</summary>
    public ArrayView<T> Theta;

    /// <summary>
    /// Each layer's weights transposed, [columns x out] where Theta has them [out x columns], at the same offsets (the
    /// rest unused): written by <see cref="CnfKernels.Transpose"/>, so that both products of a layer read along memory.
    /// </summary>
    public ArrayView<T> ThetaT;

    /// <summary>The network's widths from the state to the state, [Layers + 1].</summary>
    public ArrayView<int> Widths;

    /// <summary>Hutchinson's direction of each row, [rows x Dimension]; unused by the exact trace.</summary>
    public ArrayView<T> Noise;

    /// <summary>Each slice's scratch, [slices x ScratchLength].</summary>
    public ArrayView<T> Scratch;

    /// <summary>Rows in the batch.</summary>
    public int Rows;

    /// <summary>Rows a thread works in turn.</summary>
    public int RowsPerSlice;

    /// <summary>Dense layers.</summary>
    public int Layers;

    /// <summary>The flow's dimension d (the state z).</summary>
    public int Dimension;

    /// <summary>Tangent directions: d for the exact trace (the unit vectors), 1 for Hutchinson's estimate (the row's noise).</summary>
    public int Directions;

    /// <summary>1 for Hutchinson's estimate along each row's <see cref="Noise"/> (one direction), 0 for the exact trace.</summary>
    public int Hutchinson;

    /// <summary>1 when the layers see the time as a first input column (ConcatLinear), else 0.</summary>
    public int TimeColumn;

    /// <summary>1 for ConcatSquash layers, else 0.</summary>
    public int Squash;

    /// <summary>1 when the row carries the kinetic energy |f|^2 as a state.</summary>
    public int Kinetic;

    /// <summary>1 when the row carries the Jacobian's squared Frobenius norm as a state.</summary>
    public int Frobenius;

    /// <summary>The widest layer (the state included).</summary>
    public int MaxWidth;

    /// <summary>Scratch elements per slice.</summary>
    public int ScratchLength;

    /// <summary>The network's parameters in all.</summary>
    public int ParameterCount;

    /// <summary>Components of an augmented row: d + 1 + Kinetic + Frobenius.</summary>
    public readonly int Width => Dimension + 1 + Kinetic + Frobenius;

    /// <summary>Slices of the batch.</summary>
    public readonly int Slices => (Rows + RowsPerSlice - 1) / RowsPerSlice;

    /// <summary>The first row of slice <paramref name="slice"/>.</summary>
    public readonly int SliceStart(int slice) => slice * RowsPerSlice;

    /// <summary>One past the last row of slice <paramref name="slice"/>.</summary>
    public readonly int SliceEnd(int slice) => Math.Min(Rows, (slice + 1) * RowsPerSlice);
}
