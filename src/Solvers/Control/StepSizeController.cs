namespace OdeGpu.Control;

/// <summary>How step sizes are chosen: <see cref="FixedStep"/>, <see cref="PIController"/> or <see cref="IntegralController"/>.</summary>
public abstract class StepSizeController
{
    private protected StepSizeController()
    {
    }
}
