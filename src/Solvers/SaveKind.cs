namespace OdeGpu;

/// <summary>The kinds of <see cref="SaveAt"/>.</summary>
public enum SaveKind
{
    /// <summary>Only the state at t1.</summary>
    Final,

    /// <summary>The states at given times.</summary>
    Times,

    /// <summary>t0 and the end of every accepted step: a buffer of max steps + 1 per trajectory, padded with NaN.</summary>
    Steps,
}
