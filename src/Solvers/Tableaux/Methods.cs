namespace OdeGpu.Tableaux;

/// <summary>Every built-in method, by the name the CLI uses.</summary>
public static class Methods
{
    /// <summary>Forward Euler.</summary>
    public static ButcherTableau Euler => Tableaux.Euler.Tableau;

    /// <summary>Explicit midpoint.</summary>
    public static ButcherTableau Midpoint => Tableaux.Midpoint.Tableau;

    /// <summary>Heun 2(1).</summary>
    public static ButcherTableau Heun => Tableaux.Heun.Tableau;

    /// <summary>Classical RK4.</summary>
    public static ButcherTableau Rk4 => Tableaux.Rk4.Tableau;

    /// <summary>Bogacki-Shampine 3(2).</summary>
    public static ButcherTableau Bosh3 => Tableaux.Bosh3.Tableau;

    /// <summary>Dormand-Prince 5(4).</summary>
    public static ButcherTableau Dopri5 => Tableaux.Dopri5.Tableau;

    /// <summary>Tsitouras 5(4).</summary>
    public static ButcherTableau Tsit5 => Tableaux.Tsit5.Tableau;

    /// <summary>Dormand-Prince 8(5,3), DOP853.</summary>
    public static ButcherTableau Dopri8 => Tableaux.Dopri8.Tableau;

    /// <summary>All methods, lowest order first.</summary>
    public static IReadOnlyList<ButcherTableau> All => [Euler, Midpoint, Heun, Rk4, Bosh3, Dopri5, Tsit5, Dopri8];

    /// <summary>Finds a method by name (case-insensitive; "dop853" is an alias of dopri8).</summary>
    /// <exception cref="ArgumentException">No method has that name.</exception>
    public static ButcherTableau Parse(string name, string argument = "method")
    {
        var key = name.Trim().ToLowerInvariant();
        if (key == "dop853")
            key = "dopri8";
        return All.FirstOrDefault(m => m.Name == key)
            ?? throw new ArgumentException($"{argument} must be one of {string.Join(", ", All.Select(m => m.Name))}, but was '{name}'", argument);
    }
}
