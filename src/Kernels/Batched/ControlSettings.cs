namespace OdeGpu.Batched;

/// <summary>Step-size control constants of one solve, passed by value to the kernels.</summary>
public struct ControlSettings
{
    /// <summary>1 for error-controlled steps, 0 for fixed steps.</summary>
    public int Adaptive;

    /// <summary>Exponent of the current error (PI: 0.7/k; integral: 1/k).</summary>
    public double Beta1;

    /// <summary>Exponent of the previous error (PI: 0.4/k; integral: 0).</summary>
    public double Beta2;

    /// <summary>Safety factor applied to every proposed step.</summary>
    public double Safety;

    /// <summary>Smallest factor by which a step may shrink.</summary>
    public double MinFactor;

    /// <summary>Largest factor by which a step may grow.</summary>
    public double MaxFactor;

    /// <summary>k = error-estimator order + 1, the exponent denominator of the controller.</summary>
    public double Order;

    /// <summary>The step magnitude of a fixed-step solve.</summary>
    public double FixedStep;

    /// <summary>
    /// Fixed steps already taken before this span (a solve integrated interval by interval, for a hook at its output
    /// times): the grid of the span starts at its t0, so node k of the span is accepted step GridOffset + k.
    /// </summary>
    public int GridOffset;

    /// <summary>Largest step magnitude allowed.</summary>
    public double MaxStep;

    /// <summary>Smallest step magnitude allowed before <see cref="TrajectoryStatus.StepSizeTooSmall"/>.</summary>
    public double MinStep;

    /// <summary>Most attempts (accepted plus rejected) before <see cref="TrajectoryStatus.MaxStepsReached"/>.</summary>
    public int MaxSteps;

    /// <summary>Initial time.</summary>
    public double T0;

    /// <summary>Final time.</summary>
    public double T1;

    /// <summary>+1 forwards in time, -1 backwards.</summary>
    public double Direction;

    /// <summary>Number of output times.</summary>
    public int OutputCount;

    /// <summary>Relative tolerance.</summary>
    public double RelativeTolerance;

    /// <summary>
    /// Components the error norm averages over: all of them, or those of a seminorm (the others carry an infinite
    /// absolute tolerance, so they add nothing to the sum).
    /// </summary>
    public int NormComponents;
}
