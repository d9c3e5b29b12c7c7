using ILGPU;

namespace OdeGpu.Differentiation;

/// <summary>Arguments of <see cref="DerivativeKernels.Jvp{T, TP, TDualState, TDualSystem}"/>.</summary>
public struct JvpArgs<T, TSystem> where T : unmanaged where TSystem : struct
{
    /// <summary>The right-hand side on duals with one tangent.</summary>
    public TSystem System;

    /// <summary>Each row's time.</summary>
    public ArrayView<double> Time;

    /// <summary>The states, [rows x dim].</summary>
    public ArrayView<T> Y;

    /// <summary>The directions v, [rows x dim].</summary>
    public ArrayView<T> V;

    /// <summary>Per-row parameters, [rows x parameters].</summary>
    public ArrayView<T> Parameters;

    /// <summary>Parameters per row; 0 when the system's own fields hold them.</summary>
    public int ParameterCount;

    /// <summary>Written: (df/dy) v, [rows x dim].</summary>
    public ArrayView<T> Jv;
}
