namespace OdeGpu.Tests.Support;

/// <summary>exp(M t) by scaling and squaring of a Taylor series: a closed form for linear systems, accurate to round-off.</summary>
public static class MatrixExponential
{
    /// <summary>exp(<paramref name="m"/> t).</summary>
    public static double[,] Of(double[,] m, double t)
    {
        var n = m.GetLength(0);
        var squarings = Math.Max(0, (int)Math.Ceiling(Math.Log2(Math.Max(1e-300, Norm(m) * Math.Abs(t)))) + 4);
        var scale = t / Math.Pow(2, squarings);
        var result = Identity(n);
        var term = Identity(n);
        for (var k = 1; k <= 30; k++)
        {
            term = Multiply(term, m);
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++)
                    term[i, j] *= scale / k;
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++)
                    result[i, j] += term[i, j];
        }
        for (var s = 0; s < squarings; s++)
            result = Multiply(result, result);
        return result;
    }

    /// <summary>M v.</summary>
    public static double[] Apply(double[,] m, double[] v)
    {
        var result = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
            for (var j = 0; j < v.Length; j++)
                result[i] += m[i, j] * v[j];
        return result;
    }

    /// <summary>M^T.</summary>
    public static double[,] Transpose(double[,] m)
    {
        var n = m.GetLength(0);
        var result = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                result[i, j] = m[j, i];
        return result;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var n = a.GetLength(0);
        var result = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var k = 0; k < n; k++)
                for (var j = 0; j < n; j++)
                    result[i, j] += a[i, k] * b[k, j];
        return result;
    }

    private static double[,] Identity(int n)
    {
        var result = new double[n, n];
        for (var i = 0; i < n; i++)
            result[i, i] = 1;
        return result;
    }

    private static double Norm(double[,] m) => m.Cast<double>().Sum(Math.Abs);
}
