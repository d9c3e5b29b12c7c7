using OdeGpu.Control;
using OdeGpu.Gradients;
using OdeGpu.Tableaux;

namespace OdeGpu;

/// <summary>Everything about a solve except the system, the initial values and the times; each has a default.</summary>
public sealed record SolveOptions
{
    /// <summary>The Runge-Kutta method (default Dopri5).</summary>
    public ButcherTableau Method { get; init; } = Methods.Dopri5;

    /// <summary>How steps are chosen (default PI with rtol = 1e-6, atol = 1e-9).</summary>
    public StepSizeController Controller { get; init; } = new PIController(1e-6, 1e-9);

    /// <summary>The first step of an adaptive solve; null estimates it (Hairer, Norsett and Wanner II.4).</summary>
    public double? InitialStep { get; init; }

    /// <summary>Most attempted steps per trajectory (default 100,000).</summary>
    public int MaxSteps { get; init; } = 100_000;

    /// <summary>Smallest step magnitude before the trajectory stops with StepSizeTooSmall (default 0).</summary>
    public double MinStep { get; init; }

    /// <summary>Largest step magnitude of an adaptive solve (default unbounded); fixed steps follow their grid.</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;

    /// <summary>
    /// The components the adaptive error norm covers, a seminorm (the continuous adjoint leaves the parameters'
    /// adjoints out, as torchdiffeq's seminorm does); null for all. The norm is the RMS over these components alone,
    /// and the first-step estimate uses the same norm.
    /// </summary>
    public int[]? ErrorComponents { get; init; }

    // With ErrorComponents, divide by the whole dimension, the left-out components counting as zero error: the projected
    // norm, never larger than the full one (the continuous adjoint's seminorm).
    internal bool ErrorOverWholeState { get; init; }

    /// <summary>One step size for the whole batch instead of one per row (default false).</summary>
    public bool SharedStep { get; init; }

    /// <summary>What <see cref="Ode.Solve{T, TState, TSystem}"/> keeps (default the final state); the calls that take output times save at those.</summary>
    public SaveAt SaveAt { get; init; } = SaveAt.Final;

    /// <summary>How <see cref="Ode.Solve{T, TState, TSystem}"/> runs a per-trajectory system (default the ensemble mode).</summary>
    public SolveMode Mode { get; init; } = SolveMode.Auto;

    /// <summary>How gradients of the solve are computed (default the continuous adjoint with the forward solve's method and tolerances).</summary>
    public AdjointMethod Adjoint { get; init; } = new ContinuousAdjoint();

    /// <summary>Receives progress after every step; null for none.</summary>
    public IProgress<SolveProgress>? Progress { get; init; }

    /// <summary>Stops the solve between steps.</summary>
    public CancellationToken Cancellation { get; init; }
}
