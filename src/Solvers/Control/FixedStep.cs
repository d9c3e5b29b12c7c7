namespace OdeGpu.Control;

/// <summary>Constant steps of size <see cref="Dt"/>; the last step is shortened to end exactly at the final time.</summary>
/// <param name="dt">The step size, positive (the direction comes from the time span).</param>
public sealed class FixedStep(double dt) : StepSizeController
{
    /// <summary>The step size.</summary>
    public double Dt { get; } = dt;
}
