namespace OdeGpu.Neural.Data;

/// <summary>Labelled grey images: pixels in [0, 1], row-major [count x height x width], one class label per image.</summary>
public sealed class LabelledImages
{
    /// <summary>Checks the shapes and keeps the arrays.</summary>
    /// <exception cref="ArgumentException">The pixels do not hold count x height x width values, or a pixel is outside [0, 1].</exception>
    public LabelledImages(float[] pixels, byte[] labels, int height, int width)
    {
        if (height < 1 || width < 1)
            throw new ArgumentException($"images must be at least 1 x 1 pixels, but are {height} x {width}", nameof(height));
        if (pixels.LongLength != (long)labels.Length * height * width)
            throw new ArgumentException($"pixels must hold {labels.Length} x {height} x {width} values (one image per label), but holds {pixels.LongLength}", nameof(pixels));
        if (Array.FindIndex(pixels, p => !(p >= 0 && p <= 1)) is var bad and >= 0)
            throw new ArgumentException($"pixels must lie in [0, 1], but pixel {bad} is {pixels[bad]}", nameof(pixels));
        (Pixels, Labels, Height, Width) = (pixels, labels, height, width);
    }

    /// <summary>Pixels in [0, 1], [count x height x width].</summary>
    public float[] Pixels { get; }

    /// <summary>Each image's class.</summary>
    public byte[] Labels { get; }

    /// <summary>Images.</summary>
    public int Count => Labels.Length;

    /// <summary>Rows of pixels per image.</summary>
    public int Height { get; }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the images.</exception>
    public LabelledImages Take(IReadOnlyList<int> indices)
    {
        var size = Height * Width;
        var pixels = new float[(long)indices.Count * size];
        var labels = new byte[indices.Count];
        for (var k = 0; k < indices.Count; k++)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)indices[k], (uint)Count, nameof(indices));
            Array.Copy(Pixels, (long)indices[k] * size, pixels, (long)k * size, size);
            labels[k] = Labels[indices[k]];
        }
        return new LabelledImages(pixels, labels, Height, Width);
    }

    /// <summary>
    /// A fixed split: the images shuffled by <see cref="ShuffledOrder"/>, the first <paramref name="train"/> for training
    /// and the next <paramref name="test"/> for testing.
    /// </summary>
    /// <exception cref="ArgumentException">The two parts need more images than there are.</exception>
    public (LabelledImages Train, LabelledImages Test) Split(int train, int test, int seed = 0)
    {
        if (train < 0 || test < 0 || (long)train + test > Count)
            throw new ArgumentException($"a split of {train} training and {test} test images needs that many of the {Count} images", nameof(train));
        var order = ShuffledOrder(Count, seed);
        return (Take(order[..train]), Take(order[train..(train + test)]));
    }

    /// <summary>0 to <paramref name="count"/> - 1 shuffled by a Fisher-Yates pass with <see cref="Random"/>(<paramref name="seed"/>): the order <see cref="Split"/> takes.</summary>
    public static int[] ShuffledOrder(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var random = new Random(seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
