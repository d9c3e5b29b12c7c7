namespace OdeGpu.Tableaux;

/// <summary>Forward Euler: first order, fixed step, cubic Hermite dense output.</summary>
public static class Euler
{
    /// <summary>The tableau.</summary>
    public static readonly ButcherTableau Tableau = new("euler", order: 1, c: [0], a: [[]], b: [1]);
}
