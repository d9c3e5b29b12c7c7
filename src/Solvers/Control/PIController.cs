namespace OdeGpu.Control;

/// <summary>
/// The proportional-integral controller of Hairer, Norsett and Wanner (II, IV.2): factor = safety err^-beta1 errPrev^beta2,
/// beta1 = 0.7 / k, beta2 = 0.4 / k, with k the error-estimator order plus one. The default controller.
/// </summary>
public sealed class PIController : AdaptiveController
{
    /// <summary>Same absolute tolerance for every component.</summary>
    public PIController(double rtol, double atol) : base(rtol, [atol])
    {
    }

    /// <summary>One absolute tolerance per component.</summary>
    public PIController(double rtol, double[] atol) : base(rtol, atol)
    {
    }

    /// <inheritdoc />
    public override (double Beta1, double Beta2) Exponents(int k) => (0.7 / k, 0.4 / k);
}
