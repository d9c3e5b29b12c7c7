namespace OdeGpu.Neural.Optimizers;

/// <summary>torch.optim.lr_scheduler.StepLR: the initial rate times gamma^floor(steps / stepSize).</summary>
/// <param name="StepSize">Steps between decays, at least 1.</param>
/// <param name="Gamma">The factor of each decay.</param>
public sealed record StepDecay(int StepSize, double Gamma = 0.1) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double At(int steps, double initial) => StepSize < 1
        ? throw new ArgumentException($"StepSize must be at least 1, but was {StepSize}", nameof(StepSize))
        : initial * Math.Pow(Gamma, steps / StepSize);
}
