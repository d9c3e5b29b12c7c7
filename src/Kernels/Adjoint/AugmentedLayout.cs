namespace OdeGpu.Adjoint;

/// <summary>
/// Where the pieces of the continuous adjoint's augmented state sit in one row: [z (dim), a (dim), a_theta (parameters),
/// a_t (1)]. The backward solve integrates these rows like any batched state. Parameters shared by every row have one
/// adjoint for the whole batch, which <see cref="Shared"/> spreads over the rows: row r holds its components
/// [r slots, (r + 1) slots), the last rows' slots past the end held at zero. Rows that share their steps integrate it
/// exactly as one vector of its own, in memory of one row's a_theta instead of every row's.
/// </summary>
public readonly struct AugmentedLayout
{
    /// <summary>A layout for states of <paramref name="dimension"/> components and <paramref name="parameters"/> parameters.</summary>
    public AugmentedLayout(int dimension, int parameters)
    {
        Dimension = dimension;
        Parameters = parameters;
    }

    /// <summary>Components of z and of its adjoint a.</summary>
    public int Dimension { get; }

    /// <summary>A layout whose a_theta is the batch's one adjoint of <paramref name="parameters"/> shared parameters, spread over <paramref name="rows"/> rows.</summary>
    public static AugmentedLayout Shared(int dimension, int parameters, int rows) =>
        new(dimension, (parameters + rows - 1) / rows) { SharedParameters = parameters };

    /// <summary>Components of the parameters' adjoint a_theta in one row.</summary>
    public int Parameters { get; }

    /// <summary>With <see cref="Shared"/>, the number of shared parameters; 0 when each row has its own a_theta.</summary>
    public int SharedParameters { get; private init; }

    /// <summary>Components of one augmented row.</summary>
    public int Width => 2 * Dimension + Parameters + 1;

    /// <summary>The first component of a.</summary>
    public int Adjoint => Dimension;

    /// <summary>The first component of a_theta.</summary>
    public int ParameterAdjoint => 2 * Dimension;

    /// <summary>The component a_t.</summary>
    public int TimeAdjoint => 2 * Dimension + Parameters;

    /// <summary>Where component k of row <paramref name="row"/>'s a_theta sits in the parameters' buffer, or -1 past the shared ones' end.</summary>
    public long ParameterIndex(int row, int k)
    {
        var index = (long)row * Parameters + k;
        return SharedParameters != 0 && index >= SharedParameters ? -1 : index;
    }
}
