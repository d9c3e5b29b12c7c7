namespace OdeGpu.Neural.Classifiers;

/// <summary>The shape of one row's feature maps, PyTorch's [channels x height x width].</summary>
/// <param name="Channels">Channels.</param>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Pixels per row.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Elements per row of the batch.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Pixels per channel.</summary>
    public int Pixels => Height * Width;

    /// <inheritdoc />
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
