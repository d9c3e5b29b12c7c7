namespace OdeGpu.Tests.Support;

/// <summary>Seeded cotangents dL/dz in [-1, 1) for the gradient tests, [rows, times, dim], and the small vector helpers they use.</summary>
public static class RandomCotangents
{
    /// <summary>Cotangents of a loss L = sum of c . z(t_i), drawn from a fixed seed.</summary>
    public static double[,,] Of(int rows, int times, int dim, int seed)
    {
        var random = new Random(seed);
        var c = new double[rows, times, dim];
        for (var r = 0; r < rows; r++)
            for (var i = 0; i < times; i++)
                for (var d = 0; d < dim; d++)
                    c[r, i, d] = random.NextDouble() * 2 - 1;
        return c;
    }

    /// <summary>The cotangent of row <paramref name="r"/> at output <paramref name="i"/>.</summary>
    public static double[] Row(double[,,] c, int r, int i) => [.. Enumerable.Range(0, c.GetLength(2)).Select(d => c[r, i, d])];

    /// <summary>Row <paramref name="r"/> of a matrix.</summary>
    public static double[] Row(double[,] y, int r) => [.. Enumerable.Range(0, y.GetLength(1)).Select(d => y[r, d])];

    /// <summary>x . y.</summary>
    public static double Dot(double[] x, double[] y) => x.Zip(y, (p, q) => p * q).Sum();
}
