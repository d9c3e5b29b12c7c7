using System.Numerics;
using ILGPU;
using OdeGpu.Precision;
using OdeGpu.Systems;

namespace OdeGpu.Batched;

/// <summary>Arguments of <see cref="SystemKernels.Evaluate{T, TP, TSystem}"/>.</summary>
public struct SystemArgs<T, TSystem> where T : unmanaged where TSystem : struct
{
    /// <summary>The right-hand side.</summary>
    public TSystem System;

    /// <summary>Each row's time.</summary>
    public ArrayView<double> Time;

    /// <summary>The states, [rows x dim].</summary>
    public ArrayView<T> Y;

    /// <summary>Per-row parameters, [rows x parameters].</summary>
    public ArrayView<T> Parameters;

    /// <summary>Written: the derivatives, [rows x dim].</summary>
    public ArrayView<T> Dy;
}

/// <summary>A per-trajectory <see cref="IOdeSystem{T}"/> evaluated over a batch, one thread per row.</summary>
public static class SystemKernels
{
    /// <summary>dy[row] = f(t[row], y[row], p[row]).</summary>
    public static void Evaluate<T, TP, TSystem>(Index1D index, SystemArgs<T, TSystem> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TSystem : struct, IOdeSystem<T>
    {
        int row = index;
        var dim = a.System.Dimension;
        var count = a.System.ParameterCount;
        a.System.Evaluate(
            TP.FromDouble(a.Time[row]),
            a.Y.SubView((long)row * dim, dim),
            a.Parameters.SubView((long)row * count, count),
            a.Dy.SubView((long)row * dim, dim));
    }
}
