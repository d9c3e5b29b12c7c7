using System.Numerics;
using ILGPU;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Differentiation;

/// <summary>
/// Derivatives of a per-trajectory <see cref="IOdeSystem{T, TState}"/> over a batch, one thread per row, the row in
/// registers: Jacobian-vector products by duals with one tangent, vector-Jacobian products by duals with one tangent
/// per input column (or by the system's own <see cref="IVjpSystem{T, TState}"/>).
/// </summary>
public static class DerivativeKernels
{
    /// <summary>jv[row] = (df/dy)(t[row], y[row], p[row]) v[row].</summary>
    public static void Jvp<T, TP, TDualState, TDualSystem>(Index1D index, JvpArgs<T, TDualSystem> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TDualState : unmanaged, IStateVector<TDualState, Dual<T, Vec1<T>>>
        where TDualSystem : struct, IOdeSystem<Dual<T, Vec1<T>>, TDualState> =>
        JvpAt<T, TP, TDualState, TDualSystem>(index, a);

    /// <summary>
    /// Columns <c>First</c> to <c>First + TTangent.Dimension - 1</c> of a[row]^T [df/dy | df/dt | df/dp] at
    /// (t[row], y[row], p[row]), written to Dy, Dt and Dp.
    /// </summary>
    public static void Vjp<T, TP, TTangent, TDualState, TDualSystem>(Index1D index, VjpArgs<T, TDualSystem> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TTangent : unmanaged, IStateVector<TTangent, T>
        where TDualState : unmanaged, IStateVector<TDualState, Dual<T, TTangent>>
        where TDualSystem : struct, IOdeSystem<Dual<T, TTangent>, TDualState> =>
        VjpAt<T, TP, TTangent, TDualState, TDualSystem>(index, a);

    /// <summary>a[row]^T [df/dy | df/dt | df/dp] by the system's own vector-Jacobian product, written to Dy, Dt and Dp.</summary>
    public static void SystemVjp<T, TP, TState, TSystem>(Index1D index, VjpArgs<T, TSystem> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IVjpSystem<T, TState> =>
        SystemVjpAt<T, TP, TState, TSystem>(index, a);

    // The bodies at one index, the arguments by reference: the direct CPU launcher calls them without copying them.
    internal static void JvpAt<T, TP, TDualState, TDualSystem>(Index1D index, in JvpArgs<T, TDualSystem> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TDualState : unmanaged, IStateVector<TDualState, Dual<T, Vec1<T>>>
        where TDualSystem : struct, IOdeSystem<Dual<T, Vec1<T>>, TDualState>
    {
        int row = index;
        var start = (long)row * TDualState.Dimension;
        var system = a.System;
        if (a.ParameterCount > 0)
            system.LoadParameters(new ConstantValues<T, Vec1<T>>(a.Parameters, (long)row * a.ParameterCount));
        var y = TDualState.Gather(new DirectionalValues<T>(a.Y, a.V, start));
        var f = system.Evaluate(new Dual<T, Vec1<T>>(TP.FromDouble(a.Time[row])), y);
        TDualState.Fold(f, 0, new TangentWriter<T>(a.Jv, start));
    }

    internal static void VjpAt<T, TP, TTangent, TDualState, TDualSystem>(Index1D index, in VjpArgs<T, TDualSystem> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TTangent : unmanaged, IStateVector<TTangent, T>
        where TDualState : unmanaged, IStateVector<TDualState, Dual<T, TTangent>>
        where TDualSystem : struct, IOdeSystem<Dual<T, TTangent>, TDualState>
    {
        int row = index;
        var dimension = TDualState.Dimension;
        var start = (long)row * dimension;
        var system = a.System;
        if (a.ParameterCount > 0)
            system.LoadParameters(new SeededValues<T, TTangent>(a.Parameters, (long)row * a.ParameterCount, dimension + 1 - a.First));
        var y = TDualState.Gather(new SeededValues<T, TTangent>(a.Y, start, -a.First));
        var t = new Dual<T, TTangent>(TP.FromDouble(a.Time[row]), UnitTangent<T>.Of<TTangent>(dimension - a.First));
        var columns = TDualState.Fold(system.Evaluate(t, y), default(TTangent), new CotangentSum<T, TTangent>(a.A, start));
        TTangent.Fold(columns, 0, new GradientWriter<T, TDualSystem>(a, row, dimension));
    }

    internal static void SystemVjpAt<T, TP, TState, TSystem>(Index1D index, in VjpArgs<T, TSystem> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IVjpSystem<T, TState>
    {
        int row = index;
        var start = (long)row * TState.Dimension;
        var system = a.System;
        if (a.ParameterCount > 0)
            system.LoadParameters(new StoredParameters<T>(a.Parameters, (long)row * a.ParameterCount, 1));
        // The system adds to its row: clear it first.
        a.Dt[row] = T.Zero;
        for (var k = 0; k < a.ParameterCount; k++)
            a.Dp[(long)row * a.ParameterCount + k] = T.Zero;
        var gradient = new RowGradient<T>(a.Dt, a.Dp, row, a.ParameterCount);
        var dy = system.Vjp(TP.FromDouble(a.Time[row]), TState.Load(a.Y, start, 1), TState.Load(a.A, start, 1), ref gradient);
        TState.Store(dy, a.Dy, start, 1);
    }
}
