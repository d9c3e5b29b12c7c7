namespace OdeGpu.Tableaux;

/// <summary>Explicit midpoint rule: second order, fixed step, cubic Hermite dense output.</summary>
public static class Midpoint
{
    /// <summary>The tableau.</summary>
    public static readonly ButcherTableau Tableau = new("midpoint", order: 2, c: [0, 0.5], a: [[], [0.5]], b: [0, 1]);
}
