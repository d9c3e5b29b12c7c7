namespace OdeGpu.Precision;

/// <summary>Single precision state (float32); time stays double.</summary>
public readonly struct Float32 : IPrecision<float>
{
    /// <inheritdoc />
    public static float FromDouble(double value) => (float)value;

    /// <inheritdoc />
    public static double ToDouble(float value) => value;
}
