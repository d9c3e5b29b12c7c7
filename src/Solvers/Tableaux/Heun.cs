namespace OdeGpu.Tableaux;

/// <summary>Heun's method (explicit trapezoid): second order with an embedded Euler estimate, cubic Hermite dense output.</summary>
public static class Heun
{
    /// <summary>The tableau.</summary>
    public static readonly ButcherTableau Tableau = new(
        "heun", order: 2, c: [0, 1], a: [[], [1]], b: [0.5, 0.5],
        bError: [0.5 - 1, 0.5], errorOrder: 1);
}
