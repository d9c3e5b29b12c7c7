using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Optimization;

namespace OdeGpu.Neural.Optimizers;

/// <summary>
/// Adam as torch.optim.Adam (weight decay as an L2 term in the gradient, AMSGrad), and with <c>decoupled</c> as
/// torch.optim.AdamW (the weights decayed apart from the gradient; see <see cref="AdamW{T}"/>).
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
public class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OptimizerArgs<T> _args;

    /// <summary>An Adam optimizer of <paramref name="count"/> parameters, with PyTorch's defaults.</summary>
    /// <exception cref="ArgumentException">A hyperparameter is out of range.</exception>
    public Adam(OdeDevice device, int count, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0, bool amsgrad = false)
        : this(device, count, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupled: false)
    {
    }

    /// <summary>Adam or AdamW.</summary>
    private protected Adam(OdeDevice device, int count, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool amsgrad,
        bool decoupled)
        : base(device, count, learningRate) =>
        _args = new OptimizerArgs<T>
        {
            Beta1 = Check.Fraction(beta1, nameof(beta1)), Beta2 = Check.Fraction(beta2, nameof(beta2)), Epsilon = Check.NonNegative(epsilon, nameof(epsilon)),
            WeightDecay = Check.NonNegative(weightDecay, nameof(weightDecay)), Amsgrad = amsgrad ? 1 : 0, Decoupled = decoupled ? 1 : 0,
            StateA = NewState("exp_avg"), StateB = NewState("exp_avg_sq"), StateC = amsgrad ? NewState("max_exp_avg_sq") : default,
        };

    /// <inheritdoc />
    protected override Action<Index1D, OptimizerArgs<T>> Kernel { get; } = KernelOf(nameof(OptimizerKernels.Adam));

    /// <inheritdoc />
    protected override OptimizerArgs<T> Arguments(int step) => _args with
    {
        BiasCorrection1 = 1 - Math.Pow(_args.Beta1, step), BiasCorrection2Root = Math.Sqrt(1 - Math.Pow(_args.Beta2, step)),
    };
}
