using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Optimization;

namespace OdeGpu.Neural.Optimizers;

/// <summary>Stochastic gradient descent as torch.optim.SGD: momentum, dampening, Nesterov momentum and weight decay (L2).</summary>
/// <typeparam name="T">The scalar.</typeparam>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OptimizerArgs<T> _args;

    /// <summary>An SGD optimizer of <paramref name="count"/> parameters (PyTorch requires the learning rate; so does this).</summary>
    /// <exception cref="ArgumentException">A hyperparameter is out of range, or Nesterov momentum without momentum or with dampening.</exception>
    public Sgd(OdeDevice device, int count, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(device, count, learningRate)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"nesterov momentum needs a momentum above 0 and no dampening, but they are {momentum} and {dampening}", nameof(nesterov));
        _args = new OptimizerArgs<T>
        {
            Momentum = Check.NonNegative(momentum, nameof(momentum)), Dampening = dampening, WeightDecay = Check.NonNegative(weightDecay, nameof(weightDecay)),
            Nesterov = nesterov ? 1 : 0, StateA = momentum != 0 ? NewState("momentum_buffer") : default,
        };
    }

    /// <inheritdoc />
    protected override Action<Index1D, OptimizerArgs<T>> Kernel { get; } = KernelOf(nameof(OptimizerKernels.Sgd));

    /// <inheritdoc />
    protected override OptimizerArgs<T> Arguments(int step) => _args;
}
