namespace OdeGpu.Control;

/// <summary>The classic integral controller: factor = safety err^(-1/k), the choice of SciPy and torchdiffeq.</summary>
public sealed class IntegralController : AdaptiveController
{
    /// <summary>Same absolute tolerance for every component.</summary>
    public IntegralController(double rtol, double atol) : base(rtol, [atol])
    {
    }

    /// <summary>One absolute tolerance per component.</summary>
    public IntegralController(double rtol, double[] atol) : base(rtol, atol)
    {
    }

    /// <inheritdoc />
    public override (double Beta1, double Beta2) Exponents(int k) => (1.0 / k, 0);
}
