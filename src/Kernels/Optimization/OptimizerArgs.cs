using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Optimization;

/// <summary>
/// Arguments of <see cref="OptimizerKernels"/>: the parameters, their gradient, the optimizer's state buffers and its
/// hyperparameters for one step, with PyTorch's meanings. The host works out the step-dependent factors (bias
/// corrections), so a kernel only reads them.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct OptimizerArgs<T> : IElementArgs<OptimizerArgs<T>> where T : unmanaged
{
    /// <summary>The parameters, updated in place, [count].</summary>
    public ArrayView<T> Parameters;

    /// <summary>The gradient, [count] (read only).</summary>
    public ArrayView<T> Gradient;

    /// <summary>State: SGD's momentum buffer, RMSprop's square average, Adam's first moment, [count].</summary>
    public ArrayView<T> StateA;

    /// <summary>State: RMSprop's momentum buffer, Adam's second moment, [count].</summary>
    public ArrayView<T> StateB;

    /// <summary>State: RMSprop's (centered) gradient average, Adam's (amsgrad) largest second moment, [count].</summary>
    public ArrayView<T> StateC;

    /// <summary>The learning rate of this step.</summary>
    public double LearningRate;

    /// <summary>SGD's and RMSprop's momentum.</summary>
    public double Momentum;

    /// <summary>SGD's dampening.</summary>
    public double Dampening;

    /// <summary>L2 penalty added to the gradient (AdamW: the decoupled decay's rate).</summary>
    public double WeightDecay;

    /// <summary>RMSprop's smoothing constant alpha, or Adam's beta1.</summary>
    public double Beta1;

    /// <summary>Adam's beta2.</summary>
    public double Beta2;

    /// <summary>The term added to the denominator.</summary>
    public double Epsilon;

    /// <summary>Adam: 1 - beta1^t.</summary>
    public double BiasCorrection1;

    /// <summary>Adam: sqrt(1 - beta2^t).</summary>
    public double BiasCorrection2Root;

    /// <summary>1 on the first step (SGD's momentum buffer starts as the gradient itself).</summary>
    public int FirstStep;

    /// <summary>SGD: 1 for Nesterov momentum.</summary>
    public int Nesterov;

    /// <summary>RMSprop: 1 to normalize by the variance estimate (centered).</summary>
    public int Centered;

    /// <summary>Adam: 1 to use the largest second moment so far (AMSGrad).</summary>
    public int Amsgrad;

    /// <summary>Adam: 1 to decay the weights apart from the gradient (AdamW).</summary>
    public int Decoupled;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly OptimizerArgs<T> From(long first) => this with { First = first };
}
