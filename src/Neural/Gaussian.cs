namespace OdeGpu.Neural;

/// <summary>Standard normal draws from a seeded <see cref="Random"/> by Box-Muller, so that a seed fixes them.</summary>
public static class Gaussian
{
    /// <summary>One draw of N(0, 1), taking two uniforms from <paramref name="random"/>.</summary>
    public static double Next(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
