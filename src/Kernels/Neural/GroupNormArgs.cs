using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>
/// Arguments of <see cref="GroupNormKernels"/>: PyTorch's GroupNorm over a batch [rows x Channels x Pixels] (Pixels =
/// height x width), the channels in Groups groups of equal size, each row's group normalized by its own mean and
/// biased variance, then scaled and shifted per channel: y = (x - mean) / sqrt(var + Epsilon) gamma[c] + beta[c].
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct GroupNormArgs<T> : IElementArgs<GroupNormArgs<T>> where T : unmanaged
{
    /// <summary>The input, [rows x Channels x Pixels].</summary>
    public ArrayView<T> X;

    /// <summary>The per-channel scale gamma (PyTorch's weight), [Channels].</summary>
    public ArrayView<T> Gamma;

    /// <summary>The per-channel shift beta (PyTorch's bias), [Channels].</summary>
    public ArrayView<T> Beta;

    /// <summary>Written by <see cref="GroupNormKernels.Statistics"/>: each row's and group's mean and 1 / sqrt(var + eps), [rows x Groups x 2].</summary>
    public ArrayView<T> Stats;

    /// <summary>Written by the forward pass: the output, [rows x Channels x Pixels].</summary>
    public ArrayView<T> Y;

    /// <summary>The output's cotangent, [rows x Channels x Pixels].</summary>
    public ArrayView<T> YBar;

    /// <summary>Written by <see cref="GroupNormKernels.AdjointSums"/>: per row and group, the sums of xhatBar and xhatBar xhat, [rows x Groups x 2].</summary>
    public ArrayView<T> Sums;

    /// <summary>Written: the input's cotangent, [rows x Channels x Pixels].</summary>
    public ArrayView<T> XBar;

    /// <summary>Written: dL/dgamma then dL/dbeta, each summed over the rows in row order, [2 x Channels].</summary>
    public ArrayView<T> ParameterBar;

    /// <summary>Rows in the batch.</summary>
    public int Rows;

    /// <summary>Channels.</summary>
    public int Channels;

    /// <summary>Groups; they divide the channels.</summary>
    public int Groups;

    /// <summary>Pixels per channel.</summary>
    public int Pixels;

    /// <summary>Added to the variance (PyTorch's 1e-5).</summary>
    public double Epsilon;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <summary>Elements of one row's group: channels per group x pixels.</summary>
    public readonly long GroupSize => (long)Channels / Groups * Pixels;

    /// <inheritdoc />
    public readonly GroupNormArgs<T> From(long first) => this with { First = first };
}
