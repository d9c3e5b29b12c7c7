using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Optimization;

/// <summary>
/// One step of PyTorch's optimizers, one parameter per thread, in the order of operations of torch.optim (1.13) so
/// that the same inputs give the same numbers to rounding: SGD (momentum, dampening, Nesterov, weight decay), RMSprop
/// (momentum, centered, weight decay), Adam (AMSGrad, weight decay) and AdamW (decoupled weight decay).
/// </summary>
public static class OptimizerKernels
{
    /// <summary>SGD: g += wd p; b = g on the first step, else mu b + (1 - dampening) g; g = g + mu b (Nesterov) or b; p -= lr g.</summary>
    public static void Sgd<T, TP>(Index1D index, OptimizerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        SgdAt<T, TP, ViewIndexer>(index, a);

    /// <summary>
    /// RMSprop: g += wd p; v = alpha v + (1 - alpha) g^2; with centering m = alpha m + (1 - alpha) g and the
    /// denominator sqrt(v - m^2) + eps, else sqrt(v) + eps; with momentum b = mu b + g / denominator and p -= lr b,
    /// else p -= lr g / denominator.
    /// </summary>
    public static void RmsProp<T, TP>(Index1D index, OptimizerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        RmsPropAt<T, TP, ViewIndexer>(index, a);

    /// <summary>
    /// Adam: g += wd p (AdamW instead p *= 1 - lr wd); m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2
    /// (AMSGrad: its running maximum); p -= lr / (1 - beta1^t) m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
    /// </summary>
    public static void Adam<T, TP>(Index1D index, OptimizerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        AdamAt<T, TP, ViewIndexer>(index, a);

    /// <summary>
    /// One thread: Norm[0] = the gradient's 2-norm, the squares summed in order (the same on every run), and the
    /// scale min(1, max norm / (norm + 1e-6)) that torch.nn.utils.clip_grad_norm_ applies, in Norm[1].
    /// </summary>
    public static void GradientNorm<T>(Index1D index, ClipArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        for (var i = 0L; i < a.Gradient.Length; i++)
            sum += a.Gradient[i] * a.Gradient[i];
        var norm = T.Sqrt(sum);
        a.Norm[0] = norm;
        a.Norm[1] = T.Min(T.One, a.MaxNorm / (norm + a.Guard));
    }

    /// <summary>One element of the gradient times the clipping scale in Norm[1].</summary>
    public static void Scale<T>(Index1D index, ClipArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        a.Gradient[index] *= a.Norm[1];

    internal static void SgdAt<T, TP, TAccess>(Index1D index, in OptimizerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        ref var p = ref TAccess.At(a.Parameters, i);
        var g = Penalized<T, TP, TAccess>(a, i, p);
        if (a.Momentum != 0)
        {
            ref var b = ref TAccess.At(a.StateA, i);
            var momentum = TP.FromDouble(a.Momentum);
            b = a.FirstStep != 0 ? g : b * momentum + g * TP.FromDouble(1 - a.Dampening);
            g = a.Nesterov != 0 ? g + b * momentum : b;
        }
        p -= g * TP.FromDouble(a.LearningRate);
    }

    internal static void RmsPropAt<T, TP, TAccess>(Index1D index, in OptimizerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        ref var p = ref TAccess.At(a.Parameters, i);
        var g = Penalized<T, TP, TAccess>(a, i, p);
        var alpha = TP.FromDouble(a.Beta1);
        var rest = TP.FromDouble(1 - a.Beta1);
        ref var v = ref TAccess.At(a.StateA, i);
        v = v * alpha + g * g * rest;
        var average = v;
        if (a.Centered != 0)
        {
            ref var m = ref TAccess.At(a.StateC, i);
            m = m * alpha + g * rest;
            average -= m * m;
        }
        var denominator = T.Sqrt(average) + TP.FromDouble(a.Epsilon);
        if (a.Momentum != 0)
        {
            ref var b = ref TAccess.At(a.StateB, i);
            b = b * TP.FromDouble(a.Momentum) + g / denominator;
            p -= b * TP.FromDouble(a.LearningRate);
        }
        else
        {
            p -= g / denominator * TP.FromDouble(a.LearningRate);
        }
    }

    internal static void AdamAt<T, TP, TAccess>(Index1D index, in OptimizerArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        ref var p = ref TAccess.At(a.Parameters, i);
        if (a.Decoupled != 0)
            p *= TP.FromDouble(1 - a.LearningRate * a.WeightDecay);
        var g = a.Decoupled != 0 ? TAccess.At(a.Gradient, i) : Penalized<T, TP, TAccess>(a, i, p);
        ref var m = ref TAccess.At(a.StateA, i);
        ref var v = ref TAccess.At(a.StateB, i);
        m = m * TP.FromDouble(a.Beta1) + g * TP.FromDouble(1 - a.Beta1);
        v = v * TP.FromDouble(a.Beta2) + g * g * TP.FromDouble(1 - a.Beta2);
        var second = v;
        if (a.Amsgrad != 0)
        {
            ref var largest = ref TAccess.At(a.StateC, i);
            largest = T.Max(largest, v);
            second = largest;
        }
        var denominator = T.Sqrt(second) / TP.FromDouble(a.BiasCorrection2Root) + TP.FromDouble(a.Epsilon);
        p -= m / denominator * TP.FromDouble(a.LearningRate / a.BiasCorrection1);
    }

    // Element i of the gradient with the L2 penalty weight_decay p added, as SGD, RMSprop and Adam take it.
    private static T Penalized<T, TP, TAccess>(in OptimizerArgs<T> a, long i, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var g = TAccess.At(a.Gradient, i);
        return a.WeightDecay == 0 ? g : g + p * TP.FromDouble(a.WeightDecay);
    }
}
