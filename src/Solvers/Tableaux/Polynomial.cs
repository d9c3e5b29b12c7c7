namespace OdeGpu.Tableaux;

/// <summary>Dense polynomials as coefficient arrays (index = power), for building interpolants once on the host.</summary>
internal static class Polynomial
{
    /// <summary>a + b.</summary>
    public static double[] Add(double[] a, double[] b)
    {
        var r = new double[Math.Max(a.Length, b.Length)];
        for (var i = 0; i < r.Length; i++)
            r[i] = (i < a.Length ? a[i] : 0) + (i < b.Length ? b[i] : 0);
        return r;
    }

    /// <summary>s a.</summary>
    public static double[] Scale(double[] a, double s) => a.Select(x => x * s).ToArray();

    /// <summary>a b.</summary>
    public static double[] Multiply(double[] a, double[] b)
    {
        var r = new double[a.Length + b.Length - 1];
        for (var i = 0; i < a.Length; i++)
            for (var j = 0; j < b.Length; j++)
                r[i + j] += a[i] * b[j];
        return r;
    }

    /// <summary>The product of the given factors.</summary>
    public static double[] Product(params double[][] factors) => factors.Aggregate(new double[] { 1 }, Multiply);

    /// <summary>Drops the constant term (which must be zero) to give weights of theta^1..theta^n.</summary>
    public static double[] WithoutConstant(double[] a)
    {
        if (Math.Abs(a[0]) > 1e-14)
            throw new ArgumentException("an interpolant weight must vanish at theta = 0");
        return a[1..];
    }
}
