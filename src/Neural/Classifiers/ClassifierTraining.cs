namespace OdeGpu.Neural.Classifiers;

/// <summary>
/// How a <see cref="ClassifierFit"/> was set up and how far it got: a checkpoint's training.json, all that resuming it
/// needs besides the model and the data.
/// </summary>
/// <param name="Data">The data set's name (mnist, fashion-mnist).</param>
/// <param name="TrainingImages">The first this many of the data set's training images.</param>
/// <param name="TestImages">The first this many of its test images.</param>
/// <param name="Completed">Epochs trained.</param>
/// <param name="Epochs">Epochs in all, which place the learning-rate drops.</param>
/// <param name="Batch">Images per batch.</param>
/// <param name="LearningRate">The initial learning rate.</param>
/// <param name="Augment">Whether training images were cropped randomly.</param>
/// <param name="Seed">The seed of the initialization, the shuffles and the crops.</param>
public sealed record ClassifierTraining(string Data, int TrainingImages, int TestImages, int Completed, int Epochs, int Batch, double LearningRate, bool Augment, int Seed);
