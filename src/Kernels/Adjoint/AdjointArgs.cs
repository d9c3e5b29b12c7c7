using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Adjoint;

/// <summary>Arguments of <see cref="AdjointKernels"/>: the augmented rows and the per-row pieces the dynamics' VJP reads and writes.</summary>
public struct AdjointArgs<T> : IElementArgs<AdjointArgs<T>> where T : unmanaged
{
    /// <summary>Where z, a, a_theta and a_t sit in a row.</summary>
    public AugmentedLayout Layout;

    /// <summary>The augmented states, [rows x width].</summary>
    public ArrayView<T> Augmented;

    /// <summary>Written by <see cref="AdjointKernels.Join{T}"/>: the augmented derivatives, [rows x width].</summary>
    public ArrayView<T> Derivative;

    /// <summary>z alone, [rows x dim].</summary>
    public ArrayView<T> Z;

    /// <summary>a alone, [rows x dim].</summary>
    public ArrayView<T> A;

    /// <summary>f(t, z), [rows x dim].</summary>
    public ArrayView<T> F;

    /// <summary>a^T df/dz, [rows x dim].</summary>
    public ArrayView<T> AdjointZ;

    /// <summary>a^T df/dtheta, [rows x parameters].</summary>
    public ArrayView<T> AdjointParameters;

    /// <summary>a^T df/dt, [rows].</summary>
    public ArrayView<T> AdjointTime;

    /// <summary>Elements of this launch's view (rows x dim for a split, rows x width for a join).</summary>
    public long Length;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly AdjointArgs<T> From(long first) => this with { First = first };
}
