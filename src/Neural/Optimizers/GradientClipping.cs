using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Optimization;

namespace OdeGpu.Neural.Optimizers;

/// <summary>torch.nn.utils.clip_grad_norm_ on the device: the gradient scaled so that its 2-norm is at most a limit.</summary>
public static class GradientClipping
{
    /// <summary>Scales <paramref name="gradient"/> in place by min(1, maxNorm / (norm + 1e-6)) and returns its norm before.</summary>
    /// <exception cref="ArgumentException"><paramref name="maxNorm"/> is negative.</exception>
    public static double ClipNorm<T>(OdeDevice device, ArrayView<T> gradient, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check.NonNegative(maxNorm, nameof(maxNorm));
        using var norm = device.Allocate<T>(2);
        var args = new ClipArgs<T> { Gradient = gradient, Norm = norm.View, MaxNorm = T.CreateTruncating(maxNorm), Guard = T.CreateTruncating(1e-6) };
        device.Launch(OptimizerKernels.GradientNorm, 1, args);
        device.Launch(OptimizerKernels.Scale, (int)gradient.Length, args);
        return double.CreateTruncating(device.Download<T>(norm.View)[0]);
    }
}
