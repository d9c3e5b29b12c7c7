namespace OdeGpu.Precision;

/// <summary>Double precision state (float64).</summary>
public readonly struct Float64 : IPrecision<double>
{
    /// <inheritdoc />
    public static double FromDouble(double value) => value;

    /// <inheritdoc />
    public static double ToDouble(double value) => value;
}
