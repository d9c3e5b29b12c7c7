using System.Diagnostics;
using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Neural.Data;
using OdeGpu.Precision;

namespace OdeGpu.Neural.Classifiers;

/// <summary>
/// torchdiffeq's odenet_mnist training loop: SGD with momentum 0.9 from lr 0.1, divided by 10 at epochs 60, 100 and
/// 140 of 160 (scaled to the epochs asked for), shuffled batches with the last partial one dropped, and random crops
/// of the image padded by 4 (transforms.RandomCrop(28, padding=4)); the test error after every epoch. Seeded: the
/// same seed gives the same numbers.
/// </summary>
public sealed class ClassifierFit : IDisposable
{
    private readonly ImageClassifier<float, Float32> _model;
    private readonly Optimizers.Sgd<float> _optimizer;
    private readonly LabelledImages _train, _test;
    private readonly Random _random;
    private readonly float[] _batch;
    private readonly int _seed;

    /// <summary>Initializes the model (PyTorch's initialization, seeded) and the optimizer.</summary>
    /// <param name="device">The device.</param>
    /// <param name="architecture">The model.</param>
    /// <param name="train">The training images, 28 x 28.</param>
    /// <param name="test">The test images, 28 x 28.</param>
    /// <param name="epochs">Epochs in all, which place the learning-rate drops.</param>
    /// <param name="batchSize">Images per batch (128 in the paper).</param>
    /// <param name="learningRate">The initial learning rate.</param>
    /// <param name="augment">Whether to crop randomly from the padded image.</param>
    /// <param name="seed">Seeds the initialization, the shuffles and the crops.</param>
    /// <exception cref="ArgumentException">An image is not 28 x 28, or a count is out of range.</exception>
    public ClassifierFit(OdeDevice device, ClassifierArchitecture architecture, LabelledImages train, LabelledImages test, int epochs, int batchSize = 128,
        double learningRate = 0.1, bool augment = true, int seed = 0)
    {
        var image = ClassifierArchitecture.Image;
        if (train.Height != image.Height || train.Width != image.Width || test.Height != image.Height || test.Width != image.Width)
            throw new ArgumentException($"images must be {image.Height} x {image.Width}, but are {train.Height} x {train.Width} (train) and {test.Height} x {test.Width} (test)", nameof(train));
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (train.Count < batchSize)
            throw new ArgumentException($"the training set must hold at least one batch of {batchSize} images, but holds {train.Count}", nameof(train));
        ArgumentOutOfRangeException.ThrowIfLessThan(test.Count, 1, nameof(test));
        Epochs = epochs;
        InitialLearningRate = learningRate;
        Augment = augment;
        _train = train;
        _test = test;
        _random = new Random(seed);
        _seed = seed;
        _batch = new float[batchSize * image.Size];
        _model = new ImageClassifier<float, Float32>(device, architecture, batchSize, architecture.InitialParameters(seed));
        _optimizer = new Optimizers.Sgd<float>(device, architecture.ParameterCount, learningRate, momentum: 0.9);
    }

    /// <summary>The model being trained.</summary>
    public ImageClassifier<float, Float32> Model => _model;

    /// <summary>The optimizer, SGD with momentum over the model's flat parameters.</summary>
    public Optimizers.Sgd<float> Optimizer => _optimizer;

    /// <summary>The seed of the initialization, the shuffles and the crops.</summary>
    public int Seed => _seed;

    /// <summary>Epochs in all.</summary>
    public int Epochs { get; }

    /// <summary>The initial learning rate.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Whether training images are cropped randomly.</summary>
    public bool Augment { get; }

    /// <summary>Epochs trained so far.</summary>
    public int Completed { get; private set; }

    /// <summary>Training images.</summary>
    public int TrainingImages => _train.Count;

    /// <summary>Test images.</summary>
    public int TestImages => _test.Count;

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => _train.Count / _model.Rows;

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (from 1): divided by 10 past 60, 100 and 140 of 160 epochs, scaled.</summary>
    public double LearningRateAt(int epoch) =>
        InitialLearningRate * Math.Pow(0.1, new[] { 60, 100, 140 }.Count(m => epoch > Math.Max(1, Math.Round(m * Epochs / 160.0))));

    /// <summary>Trains one epoch, then measures the test error.</summary>
    /// <param name="progress">Told the batches done after each one.</param>
    /// <param name="cancellation">Stops between batches.</param>
    public ClassifierEpoch Epoch(IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        var epoch = Completed + 1;
        _optimizer.LearningRate = LearningRateAt(epoch);
        var order = Shuffled();
        var rows = _model.Rows;
        var labels = new int[rows];
        double loss = 0, forward = 0, backward = 0;
        var wrong = 0;
        var times = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < BatchesPerEpoch; b++)
        {
            cancellation.ThrowIfCancellationRequested();
            var started = clock.Elapsed.TotalSeconds;
            for (var r = 0; r < rows; r++)
            {
                var index = order[b * rows + r];
                labels[r] = _train.Labels[index];
                Place(_train, index, r);
            }
            _model.Images.CopyFromCPU(_batch);
            wrong += Mistakes(_model.Forward(), labels, rows);
            loss += _model.Loss(labels);
            _model.Backward();
            _optimizer.Step(_model.Parameters, _model.Gradient);
            forward += _model.ForwardEvaluations;
            backward += _model.BackwardEvaluations;
            times.Add(clock.Elapsed.TotalSeconds - started);
            progress?.Report(b + 1);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Completed = epoch;
        var batches = BatchesPerEpoch;
        times.Sort();
        return new ClassifierEpoch(epoch, _optimizer.LearningRate, loss / batches, (double)wrong / (batches * rows), TestError(), forward / batches,
            backward / batches, seconds, times[times.Count / 2]);
    }

    /// <summary>
    /// Continues from a checkpoint of a fit set up as this one (data, epochs, batch, rate, augmentation and seed): its
    /// parameters, the optimizer's steps and momentum, and its epochs, whose shuffles and crops are drawn again so that
    /// the next epoch trains on what an uninterrupted run would.
    /// </summary>
    /// <param name="completed">Epochs the checkpoint had trained.</param>
    /// <param name="parameters">Its parameters.</param>
    /// <param name="steps">Its optimizer's steps.</param>
    /// <param name="optimizerState">Its optimizer's buffers by name.</param>
    /// <exception cref="ArgumentException">A count is out of range or a buffer is of another size.</exception>
    public void Restore(int completed, float[] parameters, int steps, IReadOnlyDictionary<string, float[]> optimizerState)
    {
        if (completed < 0 || completed > Epochs)
            throw new ArgumentOutOfRangeException(nameof(completed), completed, $"completed must be in [0, {Epochs}]");
        if (parameters.Length != _model.Architecture.ParameterCount)
            throw new ArgumentException($"parameters must hold {_model.Architecture.ParameterCount} values, but hold {parameters.Length}", nameof(parameters));
        _optimizer.Restore(steps, optimizerState);
        _model.Parameters.CopyFromCPU(parameters);
        // as Epoch draws them: the shuffle, then two crop offsets per image trained on
        for (var e = 0; e < completed; e++)
        {
            Shuffled();
            for (var i = 0; Augment && i < 2 * BatchesPerEpoch * _model.Rows; i++)
                _random.Next(9);
        }
        Completed = completed;
    }

    /// <summary>The share of the test images the model misclassifies.</summary>
    public double TestError() => ErrorOf(_model, _test);

    /// <summary>
    /// The share of <paramref name="images"/> that <paramref name="model"/> misclassifies, in batches of the model's size
    /// (the last one filled up with repeats whose answers are not counted).
    /// </summary>
    public static double ErrorOf(ImageClassifier<float, Float32> model, LabelledImages images)
    {
        var rows = model.Rows;
        var size = images.Height * images.Width;
        var labels = new int[rows];
        var batch = new float[rows * size];
        var wrong = 0;
        for (var start = 0; start < images.Count; start += rows)
        {
            var count = Math.Min(rows, images.Count - start);
            for (var r = 0; r < rows; r++)
            {
                var index = start + r % count;
                labels[r] = images.Labels[index];
                images.Pixels.AsSpan(index * size, size).CopyTo(batch.AsSpan(r * size, size));
            }
            model.Images.CopyFromCPU(batch);
            wrong += Mistakes(model.Forward(), labels, count);
        }
        return (double)wrong / images.Count;
    }

    /// <summary>Frees the model and the optimizer.</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }

    // The order of the next epoch's training images.
    private int[] Shuffled()
    {
        var order = Enumerable.Range(0, _train.Count).ToArray();
        _random.Shuffle(order);
        return order;
    }

    // Training image `index` into row r of the batch, cropped at a random offset of the image padded by 4 when augmenting.
    private void Place(LabelledImages set, int index, int r)
    {
        var (height, width) = (set.Height, set.Width);
        var source = set.Pixels.AsSpan(index * height * width, height * width);
        var target = _batch.AsSpan(r * height * width, height * width);
        if (!Augment)
        {
            source.CopyTo(target);
            return;
        }
        var (dy, dx) = (_random.Next(9) - 4, _random.Next(9) - 4);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                int sy = y + dy, sx = x + dx;
                target[y * width + x] = sy < 0 || sy >= height || sx < 0 || sx >= width ? 0f : source[sy * width + sx];
            }
    }

    private static int Mistakes(float[,] logits, int[] labels, int count)
    {
        var wrong = 0;
        for (var r = 0; r < count; r++)
        {
            var best = 0;
            for (var k = 1; k < logits.GetLength(1); k++)
                if (logits[r, k] > logits[r, best])
                    best = k;
            wrong += best == labels[r] ? 0 : 1;
        }
        return wrong;
    }
}
