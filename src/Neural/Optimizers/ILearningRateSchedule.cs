namespace OdeGpu.Neural.Optimizers;

/// <summary>A learning rate as a function of the steps taken, as torch.optim.lr_scheduler's schedulers stepped once per optimizer step.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate after <paramref name="steps"/> steps, from <paramref name="initial"/>.</summary>
    double At(int steps, double initial);
}
