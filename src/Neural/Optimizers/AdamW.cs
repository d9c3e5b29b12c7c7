using System.Numerics;
using OdeGpu.Device;

namespace OdeGpu.Neural.Optimizers;

/// <summary>AdamW as torch.optim.AdamW: Adam with the weights decayed by lr x weight decay apart from the gradient.</summary>
/// <typeparam name="T">The scalar.</typeparam>
public sealed class AdamW<T> : Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>An AdamW optimizer of <paramref name="count"/> parameters, with PyTorch's defaults (weight decay 1e-2).</summary>
    /// <exception cref="ArgumentException">A hyperparameter is out of range.</exception>
    public AdamW(OdeDevice device, int count, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 1e-2, bool amsgrad = false)
        : base(device, count, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupled: true)
    {
    }
}
