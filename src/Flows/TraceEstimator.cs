namespace OdeGpu.Flows;

/// <summary>How a flow computes tr(df/dz), the rate of its log-density.</summary>
public enum TraceEstimator
{
    /// <summary>The exact trace: the Jacobian along every unit vector, d tangents (FFJORD's brute_force; for small d).</summary>
    Exact,

    /// <summary>Hutchinson's e^T (df/dz) e with e of independent signs +-1, drawn once per solve (FFJORD's approximate, rademacher).</summary>
    Rademacher,

    /// <summary>Hutchinson's e^T (df/dz) e with e standard normal, drawn once per solve (FFJORD's approximate).</summary>
    Gaussian,
}
