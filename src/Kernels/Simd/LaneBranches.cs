namespace OdeGpu.Simd;

/// <summary>
/// The first operation on <see cref="Packed{T}"/> numbers, on this thread, whose result depends on the lanes' values
/// in a way one group of lanes cannot follow: a comparison, a classification (<c>IsNaN</c>, ...), a conversion to
/// another type. A system that does one branches (or may branch) on values, so it runs on the scalar path; the probe
/// that decides that clears this, evaluates the system once on lanes and reads it.
/// </summary>
public static class LaneBranches
{
    [ThreadStatic]
    private static string? _first;

    /// <summary>The first such operation since <see cref="Clear"/>, or null.</summary>
    public static string? First => _first;

    /// <summary>Forgets what was recorded on this thread.</summary>
    public static void Clear() => _first = null;

    /// <summary>Records <paramref name="operation"/> unless an earlier one is recorded.</summary>
    internal static void Record(string operation) => _first ??= operation;
}
