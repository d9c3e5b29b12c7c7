using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>
/// Arguments of <see cref="LinearLayerKernels"/>: one dense layer h = sigma(W [t, x] + b) over a batch of rows, in PyTorch's
/// layout (W is [out, columns], row-major; with <see cref="TimeColumn"/> its first column multiplies the row's time,
/// as torchdiffeq's and FFJORD's ConcatLinear), and the buffers of its derivatives.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct LinearLayerArgs<T> : IElementArgs<LinearLayerArgs<T>> where T : unmanaged
{
    /// <summary>The layer's input, [rows x In].</summary>
    public ArrayView<T> X;

    /// <summary>Each row's time, [rows] (read only with <see cref="TimeColumn"/>).</summary>
    public ArrayView<double> Time;

    /// <summary>Weights, [Out x (TimeColumn + In)].</summary>
    public ArrayView<T> W;

    /// <summary>Bias, [Out].</summary>
    public ArrayView<T> B;

    /// <summary>Pre-activations W [t, x] + b, [rows x Out]: written by the forward pass, read by the derivatives.</summary>
    public ArrayView<T> Z;

    /// <summary>The output sigma(Z), [rows x Out].</summary>
    public ArrayView<T> H;

    /// <summary>The output's cotangent dL/dH, [rows x Out].</summary>
    public ArrayView<T> HBar;

    /// <summary>The pre-activations' cotangent sigma'(Z) dL/dH, [rows x Out].</summary>
    public ArrayView<T> ZBar;

    /// <summary>Written: dL/dX, [rows x In].</summary>
    public ArrayView<T> XBar;

    /// <summary>Added to: dL/dW summed over the rows in row order, [Out x (TimeColumn + In)].</summary>
    public ArrayView<T> WBar;

    /// <summary>Added to: dL/db summed over the rows in row order, [Out].</summary>
    public ArrayView<T> BBar;

    /// <summary>dL/dt of each row through the time column, [rows]: added to, or written when <see cref="AssignTime"/>.</summary>
    public ArrayView<T> TimeBar;

    /// <summary>1 to write <see cref="TimeBar"/> rather than add to it (zero without a time column).</summary>
    public int AssignTime;

    /// <summary>Written: each row's own dL/dW and dL/db, at <see cref="ParameterOffset"/> of its row of [rows x ParameterStride].</summary>
    public ArrayView<T> RowParameterBar;

    /// <summary>Where this layer's weights (then its bias) start in a row of <see cref="RowParameterBar"/>.</summary>
    public int ParameterOffset;

    /// <summary>Parameters per row of <see cref="RowParameterBar"/> (the whole network's).</summary>
    public int ParameterStride;

    /// <summary>A tangent of the input, [rows x In].</summary>
    public ArrayView<T> V;

    /// <summary>Written: the output's tangent sigma'(Z) (W_x V), [rows x Out].</summary>
    public ArrayView<T> HDot;

    /// <summary>Input features.</summary>
    public int In;

    /// <summary>Output features.</summary>
    public int Out;

    /// <summary>1 when the first weight column multiplies the row's time (ConcatLinear), else 0.</summary>
    public int TimeColumn;

    /// <summary>Rows in the batch.</summary>
    public int Rows;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly LinearLayerArgs<T> From(long first) => this with { First = first };
}
