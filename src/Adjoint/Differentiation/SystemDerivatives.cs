using System.Numerics;
using System.Reflection;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Differentiation;

/// <summary>
/// The derivatives of a batch's <see cref="SystemDynamics{T, TState, TSystem}"/> that an adjoint needs, per row, on its
/// device: Jacobian-vector products (df/dy) v and vector-Jacobian products a^T df/dy, a^T df/dt, a^T df/dp. They come
/// from the system's own Evaluate run on dual numbers (one tangent per input column, in several passes when the
/// columns outnumber <see cref="DualTypes.MaxTangents"/>), or from its <see cref="IVjpSystem{T, TState}"/>. Kernels
/// are loaded once here; calls allocate nothing.
/// </summary>
/// <typeparam name="T">The stored scalar: float or double.</typeparam>
/// <typeparam name="TState">The state vector.</typeparam>
/// <typeparam name="TSystem">The system; it must be generic over its arithmetic type (as the built-in ones are).</typeparam>
public sealed class SystemDerivatives<T, TState, TSystem>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TSystem : struct, IOdeSystem<T, TState>
{
    private readonly JvpLaunch _jvp;
    private readonly VjpLaunch _vjp;

    /// <summary>Loads the derivative kernels of <paramref name="dynamics"/>' system on its device.</summary>
    /// <param name="dynamics">The batch dynamics: device, rows, system and parameters.</param>
    /// <param name="useSystemVjp">Whether a system that implements <see cref="IVjpSystem{T, TState}"/> supplies the
    /// vector-Jacobian products (false: duals always).</param>
    /// <exception cref="ArgumentException">The system is not generic over <typeparamref name="T"/>, so it cannot run on duals.</exception>
    public SystemDerivatives(SystemDynamics<T, TState, TSystem> dynamics, bool useSystemVjp = true)
    {
        Dynamics = dynamics;
        Columns = TState.Dimension + 1 + dynamics.ParameterCount;
        Tangents = Math.Min(Columns, DualTypes.MaxTangents);
        UsesSystemVjp = useSystemVjp && typeof(IVjpSystem<T, TState>).IsAssignableFrom(typeof(TSystem));
        _jvp = (JvpLaunch)Bind(nameof(DualJvp), 1);
        _vjp = UsesSystemVjp
            ? (VjpLaunch)Launcher(nameof(OwnVjp)).MakeGenericMethod(PrecisionOf.Struct<T>()).Invoke(this, [])!
            : (VjpLaunch)Bind(nameof(DualVjp), Tangents);
    }

    private delegate void JvpLaunch(ArrayView<double> time, ArrayView<T> y, ArrayView<T> v, ArrayView<T> jv);

    private delegate void VjpLaunch(ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> dy, ArrayView<T> dt, ArrayView<T> dp);

    /// <summary>The dynamics whose derivatives these are.</summary>
    public SystemDynamics<T, TState, TSystem> Dynamics { get; }

    /// <summary>Inputs per row, the columns of a^T [df/dy | df/dt | df/dp]: dimension + 1 + parameters per row.</summary>
    public int Columns { get; }

    /// <summary>Tangents per dual in the vector-Jacobian kernel: <see cref="Columns"/>, at most 32.</summary>
    public int Tangents { get; }

    /// <summary>Launches per vector-Jacobian product: 1 with the system's own, else ceil(Columns / Tangents).</summary>
    public int Passes => UsesSystemVjp ? 1 : (Columns + Tangents - 1) / Tangents;

    /// <summary>Whether the system's own <see cref="IVjpSystem{T, TState}.Vjp{TGradient}"/> computes the products.</summary>
    public bool UsesSystemVjp { get; }

    /// <summary>jv[row] = (df/dy)(t[row], y[row]) v[row] with the row's parameters.</summary>
    /// <param name="time">Each row's time, [rows].</param>
    /// <param name="y">The states, [rows x dim].</param>
    /// <param name="v">The directions, [rows x dim].</param>
    /// <param name="jv">Written, [rows x dim].</param>
    /// <exception cref="ArgumentException">A view is shorter than its shape.</exception>
    public void Jvp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> v, ArrayView<T> jv)
    {
        long rows = Dynamics.Rows, states = rows * TState.Dimension;
        Require(time.Length, rows, nameof(time));
        Require(y.Length, states, nameof(y));
        Require(v.Length, states, nameof(v));
        Require(jv.Length, states, nameof(jv));
        _jvp(time, y, v, jv);
    }

    /// <summary>
    /// Per row, a^T df/dy, a^T df/dt and a^T df/dp at (t[row], y[row]) with the row's parameters. The parameter
    /// gradient stays per row: summing it over the batch is the caller's (in a fixed order, for reproducible gradients).
    /// With no parameter buffer (the system's fields hold the parameters) nothing is written to <paramref name="dp"/>.
    /// </summary>
    /// <param name="time">Each row's time, [rows].</param>
    /// <param name="y">The states, [rows x dim].</param>
    /// <param name="a">The cotangents, [rows x dim].</param>
    /// <param name="dy">Written: a^T df/dy, [rows x dim].</param>
    /// <param name="dt">Written: a^T df/dt, [rows].</param>
    /// <param name="dp">Written: a^T df/dp, [rows x Dynamics.ParameterCount].</param>
    /// <exception cref="ArgumentException">A view is shorter than its shape.</exception>
    public void Vjp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> dy, ArrayView<T> dt, ArrayView<T> dp)
    {
        long rows = Dynamics.Rows, states = rows * TState.Dimension;
        Require(time.Length, rows, nameof(time));
        Require(y.Length, states, nameof(y));
        Require(a.Length, states, nameof(a));
        Require(dy.Length, states, nameof(dy));
        Require(dt.Length, rows, nameof(dt));
        Require(dp.Length, rows * Dynamics.ParameterCount, nameof(dp));
        _vjp(time, y, a, dy, dt, dp);
    }

    private static void Require(long length, long needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} must hold at least {needed} values, but holds {length}", name);
    }

    // Closes the launcher named over the dual types with the given number of tangents.
    private Delegate Bind(string launcher, int tangents)
    {
        var tangent = DualTypes.Tangent(typeof(T), tangents);
        var dual = DualTypes.Dual(typeof(T), tangent);
        if (DualTypes.Refusal(typeof(TSystem), typeof(TState), typeof(T), dual) is { } reason)
            throw new ArgumentException(reason);
        var dualState = ArithmeticTypes.Replace(typeof(TState), typeof(T), dual);
        var dualSystem = ArithmeticTypes.Replace(typeof(TSystem), typeof(T), dual);
        var system = DualTypes.Convert(Dynamics.System, typeof(TState), typeof(T), dual);
        Type[] types = launcher == nameof(DualJvp)
            ? [PrecisionOf.Struct<T>(), dualState, dualSystem]
            : [PrecisionOf.Struct<T>(), tangent, dualState, dualSystem];
        try
        {
            return (Delegate)Launcher(launcher).MakeGenericMethod(types).Invoke(this, [system])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private static MethodInfo Launcher(string name) =>
        typeof(SystemDerivatives<T, TState, TSystem>).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Instance)!;

    private JvpLaunch DualJvp<TP, TDualState, TDualSystem>(TDualSystem system)
        where TP : struct, IPrecision<T>
        where TDualState : unmanaged, IStateVector<TDualState, Dual<T, Vec1<T>>>
        where TDualSystem : struct, IOdeSystem<Dual<T, Vec1<T>>, TDualState>
    {
        Action<Index1D, JvpArgs<T, TDualSystem>> kernel = DerivativeKernels.Jvp<T, TP, TDualState, TDualSystem>;
        return (time, y, v, jv) => Dynamics.Device.Launch(kernel, Dynamics.Rows, new JvpArgs<T, TDualSystem>
        {
            System = system,
            Time = time,
            Y = y,
            V = v,
            Parameters = Dynamics.Parameters,
            ParameterCount = Dynamics.ParameterCount,
            Jv = jv,
        });
    }

    private VjpLaunch DualVjp<TP, TTangent, TDualState, TDualSystem>(TDualSystem system)
        where TP : struct, IPrecision<T>
        where TTangent : unmanaged, IStateVector<TTangent, T>
        where TDualState : unmanaged, IStateVector<TDualState, Dual<T, TTangent>>
        where TDualSystem : struct, IOdeSystem<Dual<T, TTangent>, TDualState>
    {
        Action<Index1D, VjpArgs<T, TDualSystem>> kernel = DerivativeKernels.Vjp<T, TP, TTangent, TDualState, TDualSystem>;
        return (time, y, a, dy, dt, dp) =>
        {
            var args = Arguments(system, time, y, a, dy, dt, dp);
            for (args.First = 0; args.First < Columns; args.First += Tangents)
                Dynamics.Device.Launch(kernel, Dynamics.Rows, args);
        };
    }

    private VjpLaunch OwnVjp<TP>() where TP : struct, IPrecision<T>
    {
        var kernel = typeof(DerivativeKernels).GetMethod(nameof(DerivativeKernels.SystemVjp))!
            .MakeGenericMethod(typeof(T), typeof(TP), typeof(TState), typeof(TSystem))
            .CreateDelegate<Action<Index1D, VjpArgs<T, TSystem>>>();
        return (time, y, a, dy, dt, dp) =>
            Dynamics.Device.Launch(kernel, Dynamics.Rows, Arguments(Dynamics.System, time, y, a, dy, dt, dp));
    }

    private VjpArgs<T, TAny> Arguments<TAny>(TAny system, ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> dy, ArrayView<T> dt, ArrayView<T> dp)
        where TAny : struct => new()
    {
        System = system,
        Time = time,
        Y = y,
        A = a,
        Parameters = Dynamics.Parameters,
        ParameterCount = Dynamics.ParameterCount,
        Dy = dy,
        Dt = dt,
        Dp = dp,
    };
}
