using System.Numerics;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Batched;

/// <summary>Arguments of <see cref="SystemKernels.Evaluate{T, TP, TState, TSystem}"/>.</summary>
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

    /// <summary>Parameters per row; 0 when none were given and the system's own fields hold them.</summary>
    public int ParameterCount;

    /// <summary>Written: the derivatives, [rows x dim].</summary>
    public ArrayView<T> Dy;
}

/// <summary>A per-trajectory <see cref="IOdeSystem{T, TState}"/> evaluated over a batch, one thread per row.</summary>
public static class SystemKernels
{
    /// <summary>dy[row] = f(t[row], y[row], p[row]), with the row loaded into registers.</summary>
    public static void Evaluate<T, TP, TState, TSystem>(Index1D index, SystemArgs<T, TSystem> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState> =>
        EvaluateAt<T, TP, TState, TSystem, ViewIndexer>(index, a);

    // The body at one index, the arguments by reference: the direct CPU launcher calls it without copying them.
    internal static void EvaluateAt<T, TP, TState, TSystem, TAccess>(Index1D index, in SystemArgs<T, TSystem> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TAccess : struct, IViewAccess
    {
        int row = index;
        var start = (long)row * TState.Dimension;
        var system = a.System;
        if (a.ParameterCount > 0)
            system.LoadParameters(new StoredParameters<T>(a.Parameters, (long)row * a.ParameterCount, 1));
        TState.Store(system.Evaluate(TP.FromDouble(TAccess.At(a.Time, row)), TState.Load(a.Y, start, 1)), a.Dy, start, 1);
    }
}
