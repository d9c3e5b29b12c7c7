namespace OdeGpu.Adjoint;

/// <summary>
/// Where the pieces of the continuous adjoint's augmented state sit in one row: [z (dim), a (dim), a_theta (parameters),
/// a_t (1)]. The backward solve integrates these rows like any batched state.
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

    /// <summary>Components of the parameters' adjoint a_theta.</summary>
    public int Parameters { get; }

    /// <summary>Components of one augmented row.</summary>
    public int Width => 2 * Dimension + Parameters + 1;

    /// <summary>The first component of a.</summary>
    public int Adjoint => Dimension;

    /// <summary>The first component of a_theta.</summary>
    public int ParameterAdjoint => 2 * Dimension;

    /// <summary>The component a_t.</summary>
    public int TimeAdjoint => 2 * Dimension + Parameters;
}
