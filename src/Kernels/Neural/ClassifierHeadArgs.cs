using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>
/// Arguments of <see cref="ClassifierHeadKernels"/>: a classifier's last steps over a batch, the average of each
/// channel over its pixels (AdaptiveAvgPool2d to 1 x 1) and the mean softmax cross-entropy of logits against labels.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct ClassifierHeadArgs<T> : IElementArgs<ClassifierHeadArgs<T>> where T : unmanaged
{
    /// <summary>Feature maps, [rows x Channels x Pixels].</summary>
    public ArrayView<T> Maps;

    /// <summary>Written by the pooling: each channel's mean, [rows x Channels]; its cotangent for the pooling's VJP.</summary>
    public ArrayView<T> Pooled;

    /// <summary>Written by the pooling's VJP: the maps' cotangent, [rows x Channels x Pixels].</summary>
    public ArrayView<T> MapsBar;

    /// <summary>Logits, [rows x Classes].</summary>
    public ArrayView<T> Logits;

    /// <summary>Each row's class.</summary>
    public ArrayView<int> Labels;

    /// <summary>Written: each row's loss, log sum exp(logits) - logit[label], [rows].</summary>
    public ArrayView<T> Loss;

    /// <summary>Written: the logits' cotangent of the mean loss over the rows, (softmax - one hot) / rows, [rows x Classes].</summary>
    public ArrayView<T> LogitsBar;

    /// <summary>Rows in the batch.</summary>
    public int Rows;

    /// <summary>Channels of the maps.</summary>
    public int Channels;

    /// <summary>Pixels per channel.</summary>
    public int Pixels;

    /// <summary>Classes.</summary>
    public int Classes;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly ClassifierHeadArgs<T> From(long first) => this with { First = first };
}
