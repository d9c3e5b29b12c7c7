namespace OdeGpu.Neural;

/// <summary>How every layer of an <see cref="MlpDynamics{T, TActivation}"/> sees the time.</summary>
public enum MlpLayer
{
    /// <summary>Linear: W x + b, autonomous dynamics (the layers of an nn.Sequential, named net.{2l}.weight, net.{2l}.bias).</summary>
    Linear,

    /// <summary>
    /// ConcatLinear, as torchdiffeq's and FFJORD's: W [t, x] + b, the time a first input column (named
    /// layers.{l}._layer.weight, layers.{l}._layer.bias).
    /// </summary>
    ConcatLinear,

    /// <summary>
    /// ConcatSquashLinear, as FFJORD's: (W x + b) sigmoid(g t + c) + d t (named layers.{l}._layer.weight,
    /// layers.{l}._layer.bias, layers.{l}._hyper_bias.weight (d), layers.{l}._hyper_gate.weight (g) and
    /// layers.{l}._hyper_gate.bias (c)).
    /// </summary>
    ConcatSquash,
}
