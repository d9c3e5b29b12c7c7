namespace OdeGpu.Ensemble;

/// <summary>
/// The stage derivatives of one step, as named fields so that a fused kernel keeps them in registers: the generated
/// steppers address them by name, never by index. Methods use K1..K(S) for their stages, then f(t1, y1) when they are
/// not FSAL, then extra interpolation stages; unused fields are eliminated by the compiler.
/// </summary>
/// <typeparam name="TState">The state vector.</typeparam>
public struct Stages<TState> where TState : unmanaged
{
    /// <summary>Stage 1: f(t, y) at the start of the step.</summary>
    public TState K1;

    /// <summary>Stage 2.</summary>
    public TState K2;

    /// <summary>Stage 3.</summary>
    public TState K3;

    /// <summary>Stage 4.</summary>
    public TState K4;

    /// <summary>Stage 5.</summary>
    public TState K5;

    /// <summary>Stage 6.</summary>
    public TState K6;

    /// <summary>Stage 7.</summary>
    public TState K7;

    /// <summary>Stage 8.</summary>
    public TState K8;

    /// <summary>Stage 9.</summary>
    public TState K9;

    /// <summary>Stage 10.</summary>
    public TState K10;

    /// <summary>Stage 11.</summary>
    public TState K11;

    /// <summary>Stage 12.</summary>
    public TState K12;

    /// <summary>Stage 13.</summary>
    public TState K13;

    /// <summary>Stage 14.</summary>
    public TState K14;

    /// <summary>Stage 15.</summary>
    public TState K15;

    /// <summary>Stage 16.</summary>
    public TState K16;
}
