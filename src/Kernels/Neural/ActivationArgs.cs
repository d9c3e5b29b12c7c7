using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>Arguments of <see cref="ActivationKernels"/>: an activation applied to every element of a buffer, and its VJP.</summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct ActivationArgs<T> : IElementArgs<ActivationArgs<T>> where T : unmanaged
{
    /// <summary>The input.</summary>
    public ArrayView<T> X;

    /// <summary>Written by the forward pass: sigma(X).</summary>
    public ArrayView<T> Y;

    /// <summary>The output's cotangent.</summary>
    public ArrayView<T> YBar;

    /// <summary>Written by the VJP: sigma'(X) YBar.</summary>
    public ArrayView<T> XBar;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly ActivationArgs<T> From(long first) => this with { First = first };
}
