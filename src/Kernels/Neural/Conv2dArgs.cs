using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>
/// Arguments of <see cref="Conv2dKernels"/>: a 2-D convolution over a batch in PyTorch's layouts, input [rows x In x
/// Height x Width], weights [Out x (TimeChannel + In) x Kernel x Kernel], bias [Out] (or none), output [rows x Out x
/// OutHeight x OutWidth], with a stride and a zero padding on every side. With <see cref="TimeChannel"/> it is
/// torchdiffeq's ConcatConv2d: a first input channel holding the row's time everywhere (zero in the padding).
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct Conv2dArgs<T> : IElementArgs<Conv2dArgs<T>> where T : unmanaged
{
    /// <summary>The input, [rows x In x Height x Width].</summary>
    public ArrayView<T> X;

    /// <summary>Each row's time, [rows] (read only with <see cref="TimeChannel"/>).</summary>
    public ArrayView<double> Time;

    /// <summary>Weights, [Out x (TimeChannel + In) x Kernel x Kernel].</summary>
    public ArrayView<T> W;

    /// <summary>Bias, [Out]; empty for none.</summary>
    public ArrayView<T> B;

    /// <summary>Written by the forward pass: the output, [rows x Out x OutHeight x OutWidth].</summary>
    public ArrayView<T> Y;

    /// <summary>The output's cotangent, [rows x Out x OutHeight x OutWidth].</summary>
    public ArrayView<T> YBar;

    /// <summary>Written: the input's cotangent, [rows x In x Height x Width].</summary>
    public ArrayView<T> XBar;

    /// <summary>Written: the weights' cotangent summed over the rows in row order, [Out x (TimeChannel + In) x Kernel x Kernel].</summary>
    public ArrayView<T> WBar;

    /// <summary>Written: the bias's cotangent summed over the rows in row order, [Out].</summary>
    public ArrayView<T> BBar;

    /// <summary>Written: each row's cotangent of its time, [rows] (with <see cref="TimeChannel"/>).</summary>
    public ArrayView<T> TimeBar;

    /// <summary>Rows in the batch.</summary>
    public int Rows;

    /// <summary>Input channels (the time channel not counted).</summary>
    public int In;

    /// <summary>Output channels.</summary>
    public int Out;

    /// <summary>Input rows of pixels.</summary>
    public int Height;

    /// <summary>Input pixels per row.</summary>
    public int Width;

    /// <summary>The kernel's side.</summary>
    public int Kernel;

    /// <summary>The step between output pixels, in input pixels.</summary>
    public int Stride;

    /// <summary>Zero pixels added on every side.</summary>
    public int Padding;

    /// <summary>1 for ConcatConv2d's time channel, else 0.</summary>
    public int TimeChannel;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <summary>Output rows of pixels: (Height + 2 Padding - Kernel) / Stride + 1.</summary>
    public readonly int OutHeight => (Height + 2 * Padding - Kernel) / Stride + 1;

    /// <summary>Output pixels per row.</summary>
    public readonly int OutWidth => (Width + 2 * Padding - Kernel) / Stride + 1;

    /// <inheritdoc />
    public readonly Conv2dArgs<T> From(long first) => this with { First = first };
}
