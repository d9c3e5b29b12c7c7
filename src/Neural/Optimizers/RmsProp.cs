using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Optimization;

namespace OdeGpu.Neural.Optimizers;

/// <summary>RMSprop as torch.optim.RMSprop: smoothing constant alpha, momentum, centering and weight decay (L2).</summary>
/// <typeparam name="T">The scalar.</typeparam>
public sealed class RmsProp<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OptimizerArgs<T> _args;

    /// <summary>An RMSprop optimizer of <paramref name="count"/> parameters, with PyTorch's defaults.</summary>
    /// <exception cref="ArgumentException">A hyperparameter is out of range.</exception>
    public RmsProp(OdeDevice device, int count, double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false)
        : base(device, count, learningRate) =>
        _args = new OptimizerArgs<T>
        {
            Beta1 = Check.NonNegative(alpha, nameof(alpha)), Epsilon = Check.NonNegative(epsilon, nameof(epsilon)),
            WeightDecay = Check.NonNegative(weightDecay, nameof(weightDecay)), Momentum = Check.NonNegative(momentum, nameof(momentum)),
            Centered = centered ? 1 : 0, StateA = NewState("square_avg"), StateB = momentum != 0 ? NewState("momentum_buffer") : default,
            StateC = centered ? NewState("grad_avg") : default,
        };

    /// <inheritdoc />
    protected override Action<Index1D, OptimizerArgs<T>> Kernel { get; } = KernelOf(nameof(OptimizerKernels.RmsProp));

    /// <inheritdoc />
    protected override OptimizerArgs<T> Arguments(int step) => _args;
}
