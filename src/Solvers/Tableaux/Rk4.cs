namespace OdeGpu.Tableaux;

/// <summary>The classical fourth-order Runge-Kutta method: fixed step, cubic Hermite dense output.</summary>
public static class Rk4
{
    /// <summary>The tableau.</summary>
    public static readonly ButcherTableau Tableau = new(
        "rk4", order: 4,
        c: [0, 0.5, 0.5, 1],
        a: [[], [0.5], [0, 0.5], [0, 0, 1]],
        b: [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6]);
}
