using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>
/// Arguments of <see cref="LinearLayerKernels"/>: one dense layer h = sigma(W [t, x] + b) over a batch of rows, in PyTorch's
/// layout (W is [out, columns], row-major; with <see cref="TimeColumn"/> its first column multiplies the row's time,
/// as torchdiffeq's and FFJORD's ConcatLinear), and the buffers of its derivatives. With <see cref="Squash"/> it is
/// FFJORD's ConcatSquashLinear: h = sigma((W x + b) * sigmoid(g t + c) + d t), g, c and d one per output.
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

    /// <summary>Pre-activations W [t, x] + b (or the squashed sum), [rows x Out]: written by the forward pass, read by the derivatives.</summary>
    public ArrayView<T> Z;

    /// <summary>1 for ConcatSquash (then <see cref="TimeColumn"/> is 0), else 0.</summary>
    public int Squash;

    /// <summary>ConcatSquash's time weights d (hyper_bias.weight), [Out].</summary>
    public ArrayView<T> D;

    /// <summary>ConcatSquash's gate weights g (hyper_gate.weight), [Out].</summary>
    public ArrayView<T> G;

    /// <summary>ConcatSquash's gate biases c (hyper_gate.bias), [Out].</summary>
    public ArrayView<T> C;

    /// <summary>ConcatSquash's linear part W x + b, [rows x Out]: written by the forward pass.</summary>
    public ArrayView<T> L;

    /// <summary>ConcatSquash's linear part's cotangent ZBar sigmoid(g t + c), [rows x Out]: the SIMD twin's scratch.</summary>
    public ArrayView<T> LBar;

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

    /// <summary>Added to, with <see cref="Squash"/>: dL/dd, dL/dg and dL/dc summed over the rows in row order, [3 x Out] in that order.</summary>
    public ArrayView<T> SquashBar;

    /// <summary>dL/dt of each row through the time column, [rows]: added to, or written when <see cref="AssignTime"/>.</summary>
    public ArrayView<T> TimeBar;

    /// <summary>1 to write <see cref="TimeBar"/> rather than add to it (zero without a time column).</summary>
    public int AssignTime;

    /// <summary>Written: each row's own dL/dW and dL/db (then dL/dd, dL/dg, dL/dc), at <see cref="ParameterOffset"/> of its row of [rows x ParameterStride].</summary>
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

    /// <summary>The layer's parameters in all: its weights and bias, then with <see cref="Squash"/> d, g and c.</summary>
    public readonly long ParameterCount => W.Length + Out + (Squash != 0 ? 3L * Out : 0);

    /// <inheritdoc />
    public readonly LinearLayerArgs<T> From(long first) => this with { First = first };
}
