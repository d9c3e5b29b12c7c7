using OdeGpu.Neural;

namespace OdeGpu.Flows;

/// <summary>
/// What a <see cref="ContinuousFlow{T}"/> is: blocks of a network's flow over [0, T] in sequence from the
/// data to a standard normal base, as FFJORD's tabular model. The defaults are FFJORD's toy defaults (BENCHMARKS.md's
/// C1): d = 2, hidden 64-64-64 ConcatSquash layers with tanh, one block, T = 0.5 trained, the exact trace, no
/// regularizers.
/// </summary>
/// <param name="Dimension">The data's dimension d.</param>
/// <param name="Hidden">Hidden widths of each block's network (none: one layer, linear dynamics with Linear layers); null for 64-64-64.</param>
/// <param name="Layer">How the layers see the time.</param>
/// <param name="Activation">The activation's name, as <see cref="FlowActivations"/> knows it.</param>
/// <param name="Blocks">Flows in sequence.</param>
/// <param name="EndTime">Each block's T at the start of training.</param>
/// <param name="TrainEndTime">Train T (as FFJORD's train_T, through sqrt(T)), or keep it fixed.</param>
/// <param name="Trace">Exact or Hutchinson's estimate.</param>
/// <param name="Kinetic">RNODE's weight of the kinetic energy, the integral of |f|^2 (0: not carried).</param>
/// <param name="Frobenius">RNODE's weight of the integral of ||df/dz||_F^2 (0: not carried).</param>
public sealed record FlowArchitecture(
    int Dimension = 2,
    int[]? Hidden = null,
    MlpLayer Layer = MlpLayer.ConcatSquash,
    string Activation = "tanh",
    int Blocks = 1,
    double EndTime = 0.5,
    bool TrainEndTime = true,
    TraceEstimator Trace = TraceEstimator.Exact,
    double Kinetic = 0,
    double Frobenius = 0)
{
    /// <summary>Each block's network widths: d, the hidden widths, d.</summary>
    public int[] Widths => [Dimension, .. Hidden ?? [64, 64, 64], Dimension];

    /// <summary>One block's network parameters.</summary>
    public int NetworkParameters => MlpDynamics<double, Identity>.ParameterCountOf(Widths, Layer);

    /// <summary>All parameters: every block's network, then every block's sqrt(T).</summary>
    public int ParameterCount => Blocks * (NetworkParameters + 1);

    /// <summary>
    /// The leading parameters that training updates: every network's, then the end times when they are trained (a
    /// fixed T is a constant, as FFJORD's buffer, which no optimizer step, weight decay included, may move).
    /// </summary>
    public int TrainedParameters => TrainEndTime ? ParameterCount : Blocks * NetworkParameters;

    /// <summary>Where block b's network starts in the flat vector.</summary>
    public int NetworkOffset(int block) => block * NetworkParameters;

    /// <summary>Where block b's sqrt(T) sits in the flat vector.</summary>
    public int EndTimeOffset(int block) => Blocks * NetworkParameters + block;

    /// <summary>
    /// Every parameter tensor in the flat order, under FFJORD's state-dict names (chain.{b}.odefunc.diffeq.layers...,
    /// then chain.{b}.sqrt_end_time, a scalar), with its offset and PyTorch shape.
    /// </summary>
    public IReadOnlyList<(string Name, int Offset, int[] Shape)> ParameterNames() =>
        [.. Enumerable.Range(0, Blocks).SelectMany(b => MlpDynamics<double, Identity>.ParameterNames(Widths, Layer)
            .Select(p => ($"chain.{b}.odefunc.diffeq.{p.Name}", NetworkOffset(b) + p.Offset, p.Shape))),
            .. Enumerable.Range(0, Blocks).Select(b => ($"chain.{b}.sqrt_end_time", EndTimeOffset(b), Array.Empty<int>()))];

    /// <summary>Checks every field, naming the one out of range.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public FlowArchitecture Validated()
    {
        if (Dimension < 1)
            throw new ArgumentException($"the dimension must be at least 1, but was {Dimension}", nameof(Dimension));
        if (Hidden is { } hidden && hidden.Any(w => w < 1))
            throw new ArgumentException($"hidden widths must be positive sizes (none for one layer), but were [{string.Join(", ", hidden)}]", nameof(Hidden));
        if (Blocks < 1)
            throw new ArgumentException($"blocks must be at least 1, but was {Blocks}", nameof(Blocks));
        if (!(EndTime > 0) || double.IsInfinity(EndTime))
            throw new ArgumentException($"the end time must be positive and finite, but was {EndTime}", nameof(EndTime));
        if (!(Kinetic >= 0) || !(Frobenius >= 0))
            throw new ArgumentException($"regularizer weights must be non-negative, but were kinetic {Kinetic}, frobenius {Frobenius}", nameof(Kinetic));
        if (!FlowActivations.Names.Contains(Activation))
            throw new ArgumentException($"activation '{Activation}' is not one of {string.Join(", ", FlowActivations.Names)}", nameof(Activation));
        return this;
    }
}
