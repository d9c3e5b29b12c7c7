namespace OdeGpu.Control;

/// <summary>
/// Error-controlled steps: a step is accepted when the RMS norm of err / (atol + rtol max(|y0|, |y1|)) is at most 1.
/// </summary>
public abstract class AdaptiveController : StepSizeController
{
    private protected AdaptiveController(double rtol, double[] atol)
    {
        Rtol = rtol;
        Atol = atol;
    }

    /// <summary>Relative tolerance.</summary>
    public double Rtol { get; }

    /// <summary>Absolute tolerance: one value for every component, or one per component.</summary>
    public double[] Atol { get; }

    /// <summary>Factor applied to every proposed step (default 0.9).</summary>
    public double Safety { get; init; } = 0.9;

    /// <summary>Smallest factor a step may shrink by (default 0.2).</summary>
    public double MinFactor { get; init; } = 0.2;

    /// <summary>Largest factor a step may grow by (default 10).</summary>
    public double MaxFactor { get; init; } = 10;

    /// <summary>The exponents (beta1, beta2) of the current and previous error for a method whose k = error order + 1.</summary>
    public abstract (double Beta1, double Beta2) Exponents(int k);
}
