namespace OdeGpu.Tableaux;

/// <summary>Bogacki-Shampine 3(2): FSAL, embedded second-order estimate, cubic Hermite dense output (its natural one).</summary>
public static class Bosh3
{
    /// <summary>The tableau.</summary>
    public static readonly ButcherTableau Tableau = new(
        "bosh3", order: 3,
        c: [0, 1.0 / 2, 3.0 / 4, 1],
        a: [[], [1.0 / 2], [0, 3.0 / 4], [2.0 / 9, 1.0 / 3, 4.0 / 9]],
        b: [2.0 / 9, 1.0 / 3, 4.0 / 9, 0],
        bError: [2.0 / 9 - 7.0 / 24, 1.0 / 3 - 1.0 / 4, 4.0 / 9 - 1.0 / 3, -1.0 / 8], errorOrder: 2, fsal: true);
}
