using System.Numerics;
using System.Reflection;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Ensemble.Simd;
using OdeGpu.Precision;
using OdeGpu.Simd;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble;

/// <summary>
/// The fused kernel's SIMD twin (<see cref="LaneKernels"/>) for one ensemble run: <see cref="Choose"/> decides whether
/// the run can take it and says why not; <see cref="Advance"/> launches one slice over groups of lanes.
/// </summary>
internal abstract class LanePath<T, TState, TSystem>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TSystem : struct, IOdeSystem<T, TState>
{
    /// <summary>One slice of the first <paramref name="launched"/> trajectories of Order, a group of lanes per index.</summary>
    public abstract void Advance(OdeDevice device, in EnsembleArgs<T, TSystem, NoOutputAction<T, TState>> args, int launched);

    /// <summary>The first operation of the system on lanes that a group cannot follow (<see cref="LaneBranches"/>), or null.</summary>
    protected abstract string? Probe(TState y, T[] parameters, double t);

    /// <summary>
    /// The SIMD path of a run, or null with the reason the scalar path runs: the device is not the CPU's direct
    /// launcher, SIMD is off, the CPU has no accelerated vectors, an output action (the gradients' hooks), a system
    /// or state that cannot be carried to lanes, or a system that compares or converts values (probed on the first
    /// trajectory).
    /// </summary>
    public static (LanePath<T, TState, TSystem>? Path, SimdReport Report) Choose<TAction>(OdeDevice device, TSystem system, Type stepper, EnsembleOptions options,
        TState y0, T[] parameters, double t0)
    {
        var reason = !options.Simd ? "SIMD is off (EnsembleOptions.Simd, --simd off)"
            : !device.IsDirect ? $"the kernel runs on {device.Description}, one trajectory per thread"
            : !Vector.IsHardwareAccelerated ? "this CPU has no vector instructions .NET accelerates"
            : typeof(TAction) != typeof(NoOutputAction<T, TState>) ? $"an output action ({typeof(TAction).Name}) runs per trajectory"
            : ArithmeticTypes.Refusal(typeof(TSystem), typeof(TState), typeof(T), typeof(Packed<T>), "SIMD lanes");
        if (reason is not null)
            return (null, new SimdReport(1, reason));
        var laneState = ArithmeticTypes.Replace(typeof(TState), typeof(T), typeof(Packed<T>));
        var laneSystem = ArithmeticTypes.Replace(typeof(TSystem), typeof(T), typeof(Packed<T>));
        var layout = (bool)typeof(LaneStates).GetMethod(nameof(LaneStates.IsComponentLayout))!.MakeGenericMethod(typeof(T), typeof(TState), laneState).Invoke(null, null)!;
        if (!layout)
            return (null, new SimdReport(1, $"{typeof(TState).Name} is not laid out as its {TState.Dimension} components"));
        var converted = ArithmeticTypes.Convert(system, typeof(TState), typeof(T), typeof(Packed<T>), value => new Packed<T>((T)value), "SIMD lanes");
        var path = (LanePath<T, TState, TSystem>)Activator.CreateInstance(
            typeof(LanePath<,,,,>).MakeGenericType(typeof(T), typeof(TState), typeof(TSystem), laneState, laneSystem), converted, stepper)!;
        var branch = path.Probe(y0, parameters, t0);
        return branch is null
            ? (path, SimdReport.OnLanes<T>())
            : (null, new SimdReport(1, $"{typeof(TSystem).Name} takes a value-dependent step ({branch}), which one group of lanes cannot follow"));
    }
}

/// <summary>The SIMD path over the lane types of one system and state.</summary>
internal sealed class LanePath<T, TState, TSystem, TLaneState, TLaneSystem> : LanePath<T, TState, TSystem>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TSystem : struct, IOdeSystem<T, TState>
    where TLaneState : unmanaged, IStateVector<TLaneState, Packed<T>>
    where TLaneSystem : struct, IOdeSystem<Packed<T>, TLaneState>
{
    // A group runs a whole slice, so even two are worth spreading over the cores.
    private const int ParallelFrom = 2;

    private readonly TLaneSystem _system;
    private readonly Action<Index1D, LaneArgs<T, TState, TSystem, TLaneSystem>> _advance;

    public LanePath(object system, Type stepper)
    {
        _system = (TLaneSystem)system;
        _advance = typeof(LaneKernels).GetMethod(nameof(LaneKernels.Advance), BindingFlags.Public | BindingFlags.Static)!
            .MakeGenericMethod(typeof(T), PrecisionOf.Struct<T>(), typeof(TState), typeof(TSystem), stepper, typeof(TLaneState), typeof(TLaneSystem))
            .CreateDelegate<Action<Index1D, LaneArgs<T, TState, TSystem, TLaneSystem>>>();
    }

    public override void Advance(OdeDevice device, in EnsembleArgs<T, TSystem, NoOutputAction<T, TState>> args, int launched) =>
        device.Launch(_advance, (launched + Vector<T>.Count - 1) / Vector<T>.Count,
            new LaneArgs<T, TState, TSystem, TLaneSystem> { Ensemble = args, System = _system, Launched = launched }, ParallelFrom, unevenWork: true);

    protected override string? Probe(TState y, T[] parameters, double t)
    {
        var system = _system;
        LaneBranches.Clear();
        if (parameters.Length > 0)
            system.LoadParameters(new Broadcast(parameters));
        var components = new Packed<T>[TState.Dimension];
        for (var d = 0; d < components.Length; d++)
            components[d] = new Packed<T>(TState.Component(y, d));
        system.Evaluate(new Packed<T>(T.CreateTruncating(t)), TLaneState.FromComponents(components));
        var branch = LaneBranches.First;
        LaneBranches.Clear();
        return branch;
    }

    // One trajectory's parameters in every lane.
    private readonly struct Broadcast(T[] values) : IParameters<Packed<T>>
    {
        public Packed<T> this[int k] => new(values[k]);
    }
}
