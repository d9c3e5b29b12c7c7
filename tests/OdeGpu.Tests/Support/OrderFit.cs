namespace OdeGpu.Tests.Support;

/// <summary>Measured order of convergence: the least-squares slope of log(error) against log(step).</summary>
public static class OrderFit
{
    /// <summary>The slope through the points (log h, log error).</summary>
    public static double Slope(IReadOnlyList<double> steps, IReadOnlyList<double> errors)
    {
        var x = steps.Select(s => Math.Log(s)).ToArray();
        var y = errors.Select(e => Math.Log(e)).ToArray();
        double mx = x.Average(), my = y.Average();
        return x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
    }
}
