using OdeGpu.Adjoint;
using OdeGpu.Ensemble;
using OdeGpu.Ensemble.Adjoint;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;

namespace OdeGpu.Tests.Support;

/// <summary>The gradients <see cref="IStepper.Reverse"/> leaves: dL/dy, dL/dp (one per parameter) and dL/dt.</summary>
public sealed record StepGradient(double[] State, double[] Parameters, double Time);

/// <summary>
/// One step of a method's fused stepper, called directly on the host in float64: <see cref="IStepper.Attempt"/> with K1
/// = f(t, y) as the kernel carries it, and <see cref="IStepper.Reverse"/> with the adjoint system the fused gradient
/// would use. The system and the adjoint log every evaluation they make, in order.
/// </summary>
public abstract class StepProbe
{
    /// <summary>The points (t, y) at which the system was evaluated since the last <see cref="Clear"/>.</summary>
    public List<(double Time, double[] State)> SystemCalls { get; } = [];

    /// <summary>The points (t, z) at which the adjoint system was evaluated (one per stage VJP) since the last <see cref="Clear"/>.</summary>
    public List<(double Time, double[] State)> AdjointCalls { get; } = [];

    /// <summary>The stepper's <see cref="IStepper.ReverseEvaluations"/>.</summary>
    public abstract int ReverseEvaluations { get; }

    /// <summary>The probe of <paramref name="method"/> on <paramref name="system"/>: its own VJP when it has one and <paramref name="useSystemVjp"/>, else duals.</summary>
    public static StepProbe For<TState, TSystem>(ButcherTableau method, TSystem system, bool useSystemVjp)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        var adjoint = FusedAdjointSystem.For<double, TState, TSystem>(system, useSystemVjp);
        var type = typeof(StepProbe<,,,,>).MakeGenericType(FusedSteppers.Of(method), typeof(TState), adjoint.Parameters, typeof(TSystem), adjoint.System.GetType());
        return (StepProbe)Activator.CreateInstance(type, system, adjoint.System)!;
    }

    /// <summary>Forgets the logged evaluations.</summary>
    public void Clear()
    {
        SystemCalls.Clear();
        AdjointCalls.Clear();
    }

    /// <summary>y1 of one attempted step of size <paramref name="h"/> from (<paramref name="t"/>, <paramref name="y"/>) with parameters <paramref name="p"/>.</summary>
    public abstract double[] Attempt(double t, double h, double[] y, double[] p);

    /// <summary>
    /// Reverse of the same step with dL/dy1 = <paramref name="yBar"/>, starting from the given parameter and time adjoints
    /// (Reverse adds to them).
    /// </summary>
    public abstract StepGradient Reverse(double t, double h, double[] y, double[] p, double[] yBar, double[] parameterBar, double timeBar);
}

/// <summary>A <see cref="StepProbe"/> with its type arguments bound.</summary>
internal sealed class StepProbe<TStepper, TState, TParams, TSystem, TAdjoint>(TSystem system, TAdjoint adjoint) : StepProbe
    where TStepper : struct, IStepper
    where TState : unmanaged, IStateVector<TState, double>
    where TParams : unmanaged, IStateVector<TParams, double>
    where TSystem : struct, IOdeSystem<double, TState>
    where TAdjoint : struct, IOdeSystem<double, AdjointState<double, TState, TParams>>
{
    public override int ReverseEvaluations => TStepper.ReverseEvaluations;

    public override double[] Attempt(double t, double h, double[] y, double[] p)
    {
        var logged = Logged(p);
        var state = TState.FromComponents(y);
        var k = new Stages<TState> { K1 = logged.Evaluate(t, state) };
        TStepper.Attempt<double, Float64, TState, Logged<TState, TSystem>, StepClock<double, Float64>>(logged, new StepClock<double, Float64>(t, h), state, ref k, out var yNew, out _, out _);
        return Components(yNew);
    }

    public override StepGradient Reverse(double t, double h, double[] y, double[] p, double[] yBar, double[] parameterBar, double timeBar)
    {
        var logged = Logged(p);
        var loggedAdjoint = new Logged<AdjointState<double, TState, TParams>, TAdjoint>(adjoint, AdjointCalls, z => Components(z.Z));
        loggedAdjoint.Inner.LoadParameters(new ArrayParameters<double>(p));
        var bar = TState.FromComponents(yBar);
        var barP = TParams.FromComponents([.. parameterBar, .. new double[TParams.Dimension - parameterBar.Length]]);
        TStepper.Reverse<double, Float64, TState, TParams, Logged<TState, TSystem>, Logged<AdjointState<double, TState, TParams>, TAdjoint>>(
            logged, loggedAdjoint, t, h, TState.FromComponents(y), ref bar, ref barP, ref timeBar);
        return new(Components(bar), Components(barP)[..p.Length], timeBar);
    }

    private Logged<TState, TSystem> Logged(double[] p)
    {
        var logged = new Logged<TState, TSystem>(system, SystemCalls, Components);
        logged.Inner.LoadParameters(new ArrayParameters<double>(p));
        return logged;
    }

    private static double[] Components<TVector>(TVector v) where TVector : unmanaged, IStateVector<TVector, double> =>
        [.. Enumerable.Range(0, TVector.Dimension).Select(i => TVector.Component(v, i))];
}

/// <summary>A system that appends each point it is evaluated at to a host list, then evaluates <see cref="Inner"/>.</summary>
internal struct Logged<TState, TSystem>(TSystem inner, List<(double Time, double[] State)> calls, Func<TState, double[]> components) : IOdeSystem<double, TState>
    where TState : unmanaged, IStateVector<TState, double>
    where TSystem : struct, IOdeSystem<double, TState>
{
    public TSystem Inner = inner;

    public readonly int ParameterCount => Inner.ParameterCount;

    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<double> => Inner.LoadParameters(parameters);

    public TState Evaluate(double t, TState y)
    {
        calls.Add((t, components(y)));
        return Inner.Evaluate(t, y);
    }
}
