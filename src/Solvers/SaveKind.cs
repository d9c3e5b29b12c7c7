namespace OdeGpu;

/// <summary>The kinds of <see cref="SaveAt"/>.</summary>
public enum SaveKind
{
    /// <summary>Only the state at t1.</summary>
    Final,

    /// <summary>The states at given times.</summary>
    Times,
}
