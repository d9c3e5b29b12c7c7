namespace OdeGpu.Tableaux;

/// <summary>
/// Dense output over one step: y(t0 + theta h) = y0 + h sum_j b_j(theta) K_j, where b_j is a polynomial without
/// constant term. <see cref="Weights"/>[j][p] is the coefficient of theta^(p+1) for extended stage j.
/// </summary>
public sealed class Interpolant
{
    /// <summary>Creates an interpolant from its coefficient rows (shorter rows are padded with zeros).</summary>
    /// <param name="kind">"own" or "hermite".</param>
    /// <param name="order">Order of the continuous extension: its local error is O(h^(order+1)).</param>
    /// <param name="weights">Coefficients [extended stage][power - 1].</param>
    public Interpolant(string kind, int order, double[][] weights)
    {
        Kind = kind;
        Order = order;
        Degree = weights.Max(w => w.Length);
        Weights = weights.Select(w => w.Concat(new double[Degree - w.Length]).ToArray()).ToArray();
    }

    /// <summary>"own" for a method's own continuous extension, "hermite" for the cubic Hermite fallback.</summary>
    public string Kind { get; }

    /// <summary>Order of the continuous extension: its local error is O(h^(Order+1)).</summary>
    public int Order { get; }

    /// <summary>Coefficients [extended stage][power - 1].</summary>
    public double[][] Weights { get; }

    /// <summary>Highest power of theta.</summary>
    public int Degree { get; }

    /// <summary>
    /// Cubic Hermite through y0, y1, f(y0) and f(y1), written in stage weights: y1 = y0 + h sum b_j K_j, K_0 = f(y0),
    /// K_end = f(y1). Third order locally, so it matches every method of global order up to 4.
    /// </summary>
    public static Interpolant CubicHermite(double[] b, int endStage)
    {
        double[] h10 = [1, -2, 1], h01 = [0, 3, -2], h11 = [0, -1, 1]; // powers theta^1..theta^3
        var weights = new double[endStage + 1][];
        for (var j = 0; j <= endStage; j++)
            weights[j] = j < b.Length ? Polynomial.Scale(h01, b[j]) : new double[3];
        weights[0] = Polynomial.Add(weights[0], h10);
        weights[endStage] = Polynomial.Add(weights[endStage], h11);
        return new Interpolant("hermite", 3, weights);
    }

    /// <summary>Evaluates b_j(theta) for every extended stage (a host-side reference for tests).</summary>
    public double[] Evaluate(double theta) =>
        Weights.Select(w => w.Select((c, p) => c * Math.Pow(theta, p + 1)).Sum()).ToArray();
}
