namespace OdeGpu.Tableaux;

/// <summary>
/// An explicit Runge-Kutta method as data: nodes c, matrix a, weights b, the embedded error weights of adaptive
/// methods and a dense-output interpolant. Stages are numbered 0..S-1; stage S is f(t1, y1) for methods that are
/// not FSAL (first same as last), and any extra stages the interpolant needs follow it.
/// </summary>
public sealed class ButcherTableau
{
    /// <summary>Creates a tableau and checks its consistency (row sums of a equal c).</summary>
    /// <exception cref="ArgumentException">The arrays have inconsistent shapes or row sums.</exception>
    public ButcherTableau(
        string name, int order, double[] c, double[][] a, double[] b,
        double[]? bError = null, int errorOrder = 0, bool fsal = false, double[]? bError3 = null,
        Interpolant? interpolant = null, double[]? extraC = null, double[][]? extraA = null)
    {
        Name = name;
        Order = order;
        C = c;
        A = a;
        B = b;
        BError = bError;
        BError3 = bError3;
        ErrorOrder = errorOrder;
        Fsal = fsal;
        ExtraC = extraC ?? [];
        ExtraA = extraA ?? [];
        Interpolant = interpolant ?? Interpolant.CubicHermite(b, EndDerivativeStageOf(c.Length, fsal));
        Validate();
    }

    /// <summary>The method's name as the CLI spells it ("dopri5").</summary>
    public string Name { get; }

    /// <summary>Order of the solution.</summary>
    public int Order { get; }

    /// <summary>Order of the embedded error estimate; 0 for fixed-step methods.</summary>
    public int ErrorOrder { get; }

    /// <summary>Nodes c.</summary>
    public double[] C { get; }

    /// <summary>Lower-triangular matrix a: row s has s entries.</summary>
    public double[][] A { get; }

    /// <summary>Solution weights b.</summary>
    public double[] B { get; }

    /// <summary>Error weights b - b_hat (for DOP853 its fifth-order estimate); null for fixed-step methods.</summary>
    public double[]? BError { get; }

    /// <summary>DOP853's third-order error weights, blended with <see cref="BError"/>; null otherwise.</summary>
    public double[]? BError3 { get; }

    /// <summary>True when the last stage is evaluated at (t1, y1) and serves as the next step's first stage.</summary>
    public bool Fsal { get; }

    /// <summary>Nodes of extra stages that only the interpolant uses.</summary>
    public double[] ExtraC { get; }

    /// <summary>Rows of a for the extra stages, over all stages before each.</summary>
    public double[][] ExtraA { get; }

    /// <summary>The dense-output polynomial.</summary>
    public Interpolant Interpolant { get; }

    /// <summary>Number of stages of one step.</summary>
    public int Stages => C.Length;

    /// <summary>True when the method has an error estimate and can adapt its step.</summary>
    public bool IsAdaptive => BError is not null;

    /// <summary>The stage that holds f(t1, y1) after a step.</summary>
    public int EndDerivativeStage => EndDerivativeStageOf(Stages, Fsal);

    /// <summary>Stages, f(t1, y1) and the extra interpolation stages together.</summary>
    public int ExtendedStages => EndDerivativeStage + 1 + ExtraC.Length;

    /// <inheritdoc />
    public override string ToString() => Name;

    private static int EndDerivativeStageOf(int stages, bool fsal) => fsal ? stages - 1 : stages;

    private void Validate()
    {
        if (A.Length != Stages || B.Length != Stages)
            throw new ArgumentException($"tableau {Name}: a and b must have {Stages} rows like c");
        for (var s = 0; s < Stages; s++)
            CheckRow(A[s], s, C[s]);
        for (var e = 0; e < ExtraC.Length; e++)
            CheckRow(ExtraA[e], EndDerivativeStage + 1 + e, ExtraC[e]);
        if (Math.Abs(B.Sum() - 1) > 1e-12)
            throw new ArgumentException($"tableau {Name}: weights b must sum to 1");
        if (BError is not null && BError.Length != Stages || BError3 is not null && BError3.Length != Stages)
            throw new ArgumentException($"tableau {Name}: error weights must have {Stages} entries");
        if (Interpolant.Weights.Length != ExtendedStages)
            throw new ArgumentException($"tableau {Name}: the interpolant must weight {ExtendedStages} stages");
    }

    private void CheckRow(double[] row, int count, double node)
    {
        if (row.Length != count)
            throw new ArgumentException($"tableau {Name}: the row for node {node} must have {count} entries");
        if (Math.Abs(row.Sum() - node) > 1e-12)
            throw new ArgumentException($"tableau {Name}: the row for node {node} must sum to it");
    }
}
