namespace OdeGpu.Neural.Optimizers;

/// <summary>The range checks of the optimizers' hyperparameters, with PyTorch's limits.</summary>
internal static class Check
{
    /// <summary><paramref name="value"/> when it is at least 0.</summary>
    public static double NonNegative(double value, string name) =>
        value >= 0 ? value : throw new ArgumentException($"{name} must be at least 0, but was {value}", name);

    /// <summary><paramref name="value"/> when it lies in [0, 1).</summary>
    public static double Fraction(double value, string name) =>
        value is >= 0 and < 1 ? value : throw new ArgumentException($"{name} must lie in [0, 1), but was {value}", name);
}
