using OdeGpu.Control;
using OdeGpu.Tableaux;

namespace OdeGpu.Gradients;

/// <summary>
/// The adjoint method of Chen et al. (2018): the augmented state [z, a, a_theta, a_t] is integrated backwards one
/// output interval at a time, z reset to the forward solve's value and dL/dz added to a at each output time. Its memory
/// does not depend on the number of steps; its gradient matches the discrete one as the tolerances tighten.
/// </summary>
public sealed record ContinuousAdjoint : AdjointMethod
{
    /// <summary>The backward solve's method; null uses the forward one.</summary>
    public ButcherTableau? Method { get; init; }

    /// <summary>The backward solve's step-size controller and tolerances; null uses the forward one.</summary>
    public StepSizeController? Controller { get; init; }

    /// <summary>
    /// Leave a_theta and a_t out of the backward error norm (Kidger, Chen and Lyons 2021): they never feed back into
    /// the other components, so their error does not need controlling. Their errors count as zero in the RMS over the
    /// whole augmented state, so the backward solve never takes more steps than with the full norm, and usually fewer.
    /// </summary>
    public bool Seminorm { get; init; }
}
