namespace OdeGpu.Neural.Classifiers;

/// <summary>The models of the paper's Table 1 (section 3, torchdiffeq's examples/odenet_mnist.py).</summary>
public enum ClassifierKind
{
    /// <summary>Downsampling, six residual blocks, the head.</summary>
    ResNet,

    /// <summary>Downsampling, one ODE block (Dopri5, one step size for the batch) trained by the continuous adjoint, the head.</summary>
    OdeNet,

    /// <summary>The ODE-Net's model trained by backpropagation through the solver's steps (the discrete adjoint).</summary>
    RkNet,

    /// <summary>The paper's 1-layer MLP on raw pixels: 784-300-10 with a ReLU.</summary>
    Mlp,
}
