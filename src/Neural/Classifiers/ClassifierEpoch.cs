namespace OdeGpu.Neural.Classifiers;

/// <summary>One epoch of <see cref="ClassifierFit"/>: a row of history.csv.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="LearningRate">The learning rate it trained at.</param>
/// <param name="Loss">The mean cross-entropy over its batches.</param>
/// <param name="TrainError">The share of its training images misclassified as they were trained on (augmented).</param>
/// <param name="TestError">The share of the test images misclassified after it.</param>
/// <param name="ForwardEvaluations">The ODE block's evaluations per forward solve, averaged over the batches (0 without one).</param>
/// <param name="BackwardEvaluations">The ODE block's evaluations per backward pass, averaged over the batches (0 without one).</param>
/// <param name="Seconds">Its training time, the test excluded.</param>
/// <param name="SecondsPerIteration">Its median time per batch.</param>
public sealed record ClassifierEpoch(int Epoch, double LearningRate, double Loss, double TrainError, double TestError, double ForwardEvaluations,
    double BackwardEvaluations, double Seconds, double SecondsPerIteration);
