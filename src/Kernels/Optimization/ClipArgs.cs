using ILGPU;

namespace OdeGpu.Optimization;

/// <summary>Arguments of the gradient-norm clipping kernels of <see cref="OptimizerKernels"/>.</summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct ClipArgs<T> where T : unmanaged
{
    /// <summary>The gradient, scaled in place.</summary>
    public ArrayView<T> Gradient;

    /// <summary>Written: the gradient's norm, then the scale applied, [2].</summary>
    public ArrayView<T> Norm;

    /// <summary>The largest norm allowed.</summary>
    public T MaxNorm;

    /// <summary>Added to the norm before dividing (PyTorch's 1e-6).</summary>
    public T Guard;
}
