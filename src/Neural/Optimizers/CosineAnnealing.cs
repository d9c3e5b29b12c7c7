namespace OdeGpu.Neural.Optimizers;

/// <summary>
/// torch.optim.lr_scheduler.CosineAnnealingLR: eta_min + (initial - eta_min) (1 + cos(pi steps / TMax)) / 2, which
/// comes back up after TMax steps as PyTorch's does.
/// </summary>
/// <param name="TMax">Steps of the half period, at least 1.</param>
/// <param name="EtaMin">The smallest rate.</param>
public sealed record CosineAnnealing(int TMax, double EtaMin = 0) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double At(int steps, double initial) => TMax < 1
        ? throw new ArgumentException($"TMax must be at least 1, but was {TMax}", nameof(TMax))
        : EtaMin + (initial - EtaMin) * (1 + Math.Cos(Math.PI * steps / TMax)) / 2;
}
