using ILGPU;

namespace OdeGpu.Differentiation;

/// <summary>
/// Arguments of the vector-Jacobian kernels of <see cref="DerivativeKernels"/>. The inputs are numbered as columns
/// [y (dim) | t (1) | p (parameters)]; one launch of the dual kernel covers the columns from <see cref="First"/> on,
/// as many as its duals have tangents.
/// </summary>
public struct VjpArgs<T, TSystem> where T : unmanaged where TSystem : struct
{
    /// <summary>The right-hand side (on duals for the dual kernel).</summary>
    public TSystem System;

    /// <summary>Each row's time.</summary>
    public ArrayView<double> Time;

    /// <summary>The states, [rows x dim].</summary>
    public ArrayView<T> Y;

    /// <summary>The cotangents a, [rows x dim].</summary>
    public ArrayView<T> A;

    /// <summary>Per-row parameters, [rows x parameters].</summary>
    public ArrayView<T> Parameters;

    /// <summary>Parameters per row; 0 when the system's own fields hold them (then none are differentiated).</summary>
    public int ParameterCount;

    /// <summary>The first column this launch computes (dual kernel only).</summary>
    public int First;

    /// <summary>Written: a^T df/dy, [rows x dim].</summary>
    public ArrayView<T> Dy;

    /// <summary>Written: a^T df/dt, [rows].</summary>
    public ArrayView<T> Dt;

    /// <summary>Written: a^T df/dp per row, [rows x parameters] (the sum over rows is the caller's).</summary>
    public ArrayView<T> Dp;
}
