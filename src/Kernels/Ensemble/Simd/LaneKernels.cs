using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Precision;
using OdeGpu.Simd;
using OdeGpu.State;
using OdeGpu.Systems;
using static OdeGpu.Device.HostViewAccess;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// The fused ensemble kernel's SIMD twin on the CPU: index g advances the group of <see cref="Vector{T}.Count"/>
/// trajectories at Order[g W ..], one per lane, through up to SliceSteps attempts, with the same generated stepper run
/// on <see cref="Packed{T}"/> (its attempt compiled in parts, <see cref="IStepper.AttemptInParts"/>) and the controller
/// run per lane with masks (<see cref="LaneSteps"/>). A lane whose trajectory finishes stops changing; the group returns
/// when all have or the slice is spent. Outputs are interpolated on lanes, each lane at its own output time, and stored
/// lane by lane, as are recorded steps. It reads and writes the same buffers as <see cref="EnsembleKernels.Advance"/>,
/// so the host's slice loop and compaction are the same.
/// </summary>
public static class LaneKernels
{
    /// <summary>Up to SliceSteps attempts of the trajectories of group <paramref name="group"/>, with their outputs.</summary>
    public static void Advance<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(Index1D group, LaneArgs<T, TState, TSystem, TLaneSystem> args)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TStepper : struct, IStepper
        where TLaneState : unmanaged, IStateVector<TLaneState, Packed<T>>
        where TLaneSystem : struct, IOdeSystem<Packed<T>, TLaneState>
    {
        var a = args.Ensemble;
        Span<int> trajectories = stackalloc int[Vector<int>.Count];
        var live = Trajectories(a, group, args.Launched, trajectories);
        if (live == 0)
            return;
        long n = a.Count;
        var system = args.System;
        if (a.ParameterCount > 0)
            system.LoadParameters(new LaneParameters<T>(a.Parameters, new Vector<int>(trajectories), n));
        var y = LaneStates.Load<T, TLaneState>(a.Y, 0, n, trajectories);
        var k1 = LaneStates.Load<T, TLaneState>(a.K1, 0, n, trajectories);
        Span<int> status = stackalloc int[Vector<T>.Count];
        Span<int> next = stackalloc int[Vector<T>.Count];
        var steps = Load(a, trajectories, status, next);
        var active = ControlLanes.Mask(live, Vector<T>.Count);
        var attempts = Uniform(a, steps, live, next)
            ? UniformAttempts<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(a, system, trajectories, ref y, ref k1, ref steps, ref active, status, next)
            : 0;
        if (attempts < a.SliceSteps && ControlLanes.Any(active))
            Attempts<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(a, system, trajectories, a.SliceSteps - attempts, ref y, ref k1, ref steps, ref active, status, next);
        LaneStates.Store(y, a.Y, 0, n, trajectories, live);
        LaneStates.Store(k1, a.K1, 0, n, trajectories, live);
        Store(a, steps, trajectories, live, status, next);
    }

    /// <summary>
    /// Whether every lane of the group runs on the same fixed grid at the same node, with the same output times and
    /// no step record: then one scalar <see cref="StepDecision.Decide"/> decides for all (<see cref="UniformAttempts"/>).
    /// </summary>
    private static bool Uniform<T, TSystem, TAction>(in EnsembleArgs<T, TSystem, TAction> a, in LaneSteps steps, int live, ReadOnlySpan<int> next)
        where T : unmanaged where TSystem : struct where TAction : struct
    {
        if (a.Settings.Adaptive != 0 || a.SaveSteps != 0 || a.TimeTrajectoryStride != 0 || live != (1 << Vector<T>.Count) - 1)
            return false;
        for (var j = 1; j < Vector<T>.Count; j++)
            if (steps.Time[j] != steps.Time[0] || steps.Step[j] != steps.Step[0] || steps.Start[j] != steps.Start[0] || steps.End[j] != steps.End[0]
                || steps.Accepted[j] != steps.Accepted[0] || steps.Last[j] != steps.Last[0] || next[j] != next[0])
                return false;
        return true;
    }

    /// <summary>
    /// Attempts of a group on one fixed grid (<see cref="Uniform"/>): the lanes differ only in their states, so the
    /// step bookkeeping is lane 0's, done once by the scalar kernel's code. Stops at the first attempt with a
    /// non-finite lane, which the general loop then redoes lane by lane; returns the attempts it made.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int UniformAttempts<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(in EnsembleArgs<T, TSystem, NoOutputAction<T, TState>> a,
        TLaneSystem system, ReadOnlySpan<int> trajectories, ref TLaneState state, ref TLaneState derivative, ref LaneSteps steps, ref Vector<int> running,
        Span<int> status, Span<int> next)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TStepper : struct, IStepper
        where TLaneState : unmanaged, IStateVector<TLaneState, Packed<T>>
        where TLaneSystem : struct, IOdeSystem<Packed<T>, TLaneState>
    {
        var y = state;
        var k = default(Stages<TLaneState>);
        k.K1 = derivative;
        var s = new StepState
        {
            Time = steps.Time[0], Step = steps.Step[0], PrevTime = steps.PrevTime[0], UsedStep = steps.UsedStep[0],
            Flags = steps.Flags(0),
            AcceptedSteps = steps.Accepted[0], RejectedSteps = steps.Rejected[0],
        };
        double t0 = steps.Start[0], t1 = steps.End[0];
        var gridSteps = steps.GridSteps[0];
        var evaluations = 0;
        var outcome = TrajectoryStatus.Running;
        var outputTime = NextOutputTime(a, next[0], trajectories[0]);
        var attempt = 0;
        while (attempt < a.SliceSteps && outcome == TrajectoryStatus.Running)
        {
            var free = FreeAttempts<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(
                system, a.Settings, t0, t1, gridSteps, outputTime, a.SliceSteps - attempt, ref s, ref y, ref k.K1, out var stopped);
            attempt += free;
            evaluations += free * (TStepper.AttemptEvaluations + TStepper.EndEvaluations);
            if (stopped || attempt == a.SliceSteps)
                break;
            TStepper.AttemptInParts<Packed<T>, PackedPrecision<T, TP>, TLaneState, TLaneSystem, UniformClock<T, TP>>(
                system, new UniformClock<T, TP>(s.Time, s.Step), y, ref k, out var yNew, out _, out _);
            if (!LaneStates.AllFinite<T, TLaneState>(yNew))
                break;
            evaluations += TStepper.AttemptEvaluations;
            outcome = StepDecision.Decide(0, ref s, a.Settings, t0, t1, gridSteps);
            var end = TStepper.EndDerivative<Packed<T>, PackedPrecision<T, TP>, TLaneState, TLaneSystem>(system, new Packed<T>(TP.FromDouble(s.Time)), yNew, ref k);
            evaluations += TStepper.EndEvaluations;
            if (EnsembleKernels.Passed(outputTime, s))
            {
                steps = Synchronized(steps, s, evaluations);
                evaluations = 0;
                WriteOutputs<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(a, system, trajectories, (1 << Vector<T>.Count) - 1, y, yNew, ref k, ref steps, next);
                outputTime = NextOutputTime(a, next[0], trajectories[0]);
            }
            y = yNew;
            k.K1 = end;
            attempt++;
        }
        steps = Synchronized(steps, s, evaluations);
        if (outcome != TrajectoryStatus.Running)
        {
            status.Fill((int)outcome);
            running = Vector<int>.Zero;
        }
        state = y;
        derivative = k.K1;
        return attempt;
    }

    /// <summary>
    /// <see cref="UniformAttempts"/>' attempts up to the first that ends the trajectory or reaches
    /// <paramref name="outputTime"/>, which it leaves to the caller: a loop without a call, so that the state and its
    /// derivative stay in registers (a call, such as an output's, would make the JIT keep them in memory). Returns the
    /// attempts made, each accepted; <paramref name="stopped"/> is set when the next one made a lane non-finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FreeAttempts<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(in TLaneSystem system, in ControlSettings settings,
        double t0, double t1, double gridSteps, double outputTime, int attempts, ref StepState step, ref TLaneState state, ref TLaneState derivative,
        out bool stopped)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TStepper : struct, IStepper
        where TLaneState : unmanaged, IStateVector<TLaneState, Packed<T>>
        where TLaneSystem : struct, IOdeSystem<Packed<T>, TLaneState>
    {
        var s = step;
        var y = state;
        var k = default(Stages<TLaneState>);
        k.K1 = derivative;
        stopped = false;
        var attempt = 0;
        for (; attempt < attempts; attempt++)
        {
            var decided = s;
            if (StepDecision.Decide(0, ref decided, settings, t0, t1, gridSteps) != TrajectoryStatus.Running || EnsembleKernels.Passed(outputTime, decided))
                break;
            TStepper.AttemptInParts<Packed<T>, PackedPrecision<T, TP>, TLaneState, TLaneSystem, UniformClock<T, TP>>(
                system, new UniformClock<T, TP>(s.Time, s.Step), y, ref k, out var yNew, out _, out _);
            if (!LaneStates.AllFinite<T, TLaneState>(yNew))
            {
                stopped = true;
                break;
            }
            k.K1 = TStepper.EndDerivative<Packed<T>, PackedPrecision<T, TP>, TLaneState, TLaneSystem>(system, new Packed<T>(TP.FromDouble(decided.Time)), yNew, ref k);
            s = decided;
            y = yNew;
        }
        step = s;
        state = y;
        derivative = k.K1;
        return attempt;
    }

    // Output time `next` of a trajectory as EnsembleKernels.OutputTime reads it, NaN (never reached) past the last.
    private static double NextOutputTime<T, TSystem, TAction>(in EnsembleArgs<T, TSystem, TAction> a, int next, int trajectory)
        where T : unmanaged where TSystem : struct where TAction : struct =>
        next < a.OutputCount ? At(a.Times, EnsembleKernels.OutputIndex(a, next, trajectory)) : double.NaN;

    // The group's bookkeeping after uniform attempts: lane 0's step state in every lane, and the evaluations added.
    private static LaneSteps Synchronized(LaneSteps steps, in StepState s, int evaluations)
    {
        steps.Time = new DoubleLanes(s.Time);
        steps.Step = new DoubleLanes(s.Step);
        steps.PrevTime = new DoubleLanes(s.PrevTime);
        steps.UsedStep = new DoubleLanes(s.UsedStep);
        steps.Accepted = new Vector<int>(s.AcceptedSteps);
        steps.Rejected = new Vector<int>(s.RejectedSteps);
        steps.Last = new Vector<int>((s.Flags & StepFlags.LastStep) != 0 ? -1 : 0);
        steps.Rejection = new Vector<int>((s.Flags & StepFlags.Rejected) != 0 ? -1 : 0);
        steps.Evaluations += new Vector<int>(evaluations);
        return steps;
    }

    // Attempts of any group, its lanes on their own steps (see EnsembleKernels.Attempts).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Attempts<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(in EnsembleArgs<T, TSystem, NoOutputAction<T, TState>> a,
        TLaneSystem system, ReadOnlySpan<int> trajectories, int attempts, ref TLaneState state, ref TLaneState derivative, ref LaneSteps steps, ref Vector<int> running,
        Span<int> status, Span<int> next)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TStepper : struct, IStepper
        where TLaneState : unmanaged, IStateVector<TLaneState, Packed<T>>
        where TLaneSystem : struct, IOdeSystem<Packed<T>, TLaneState>
    {
        var width = Vector<T>.Count;
        var y = state;
        var k = default(Stages<TLaneState>);
        k.K1 = derivative;
        var active = running;
        var atol = Broadcast<T, TLaneState>(a.Atol);
        var rtol = new Packed<T>(TP.FromDouble(a.Rtol));
        var adaptive = a.Settings.Adaptive != 0;
        for (var attempt = 0; attempt < attempts && ControlLanes.Any(active); attempt++)
        {
            TStepper.AttemptInParts<Packed<T>, PackedPrecision<T, TP>, TLaneState, TLaneSystem, PackedClock<T>>(
                system, new PackedClock<T>(steps.Time, steps.Step), y, ref k, out var yNew, out var error, out var error3);
            steps.Evaluations += active & new Vector<int>(TStepper.AttemptEvaluations);
            var err = adaptive ? ErrorNorm<T, TLaneState, TStepper>(error, error3, y, yNew, atol, rtol, a.Settings.NormComponents) : Vector<float>.Zero;
            err = ControlLanes.Select(ControlLanes.MaskFrom(LaneStates.Finite<T, TLaneState>(yNew)), err, new Vector<float>(float.NaN));
            var (start, size) = (steps.Time, steps.Step);
            var accepted = steps.Decide(err, active, a.Settings, out var nonFinite, out var success, out var maxSteps, out var tooSmall);
            if (ControlLanes.Any(accepted))
            {
                var acceptedLanes = ControlLanes.Bits(accepted, width);
                if (a.SaveSteps != 0)
                    SaveSteps<T, TState, TSystem, TLaneState>(a, yNew, steps, trajectories, acceptedLanes);
                var end = TStepper.EndDerivative<Packed<T>, PackedPrecision<T, TP>, TLaneState, TLaneSystem>(system, new Packed<T>(steps.Time.To<T>()), yNew, ref k);
                steps.Evaluations += accepted & new Vector<int>(TStepper.EndEvaluations);
                var outputs = acceptedLanes & ControlLanes.Bits(ControlLanes.Narrow(Reached(steps.NextOutput, steps.Time, size)), width);
                if (outputs != 0)
                {
                    (steps.PrevTime, steps.UsedStep) = (start, size);
                    WriteOutputs<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(a, system, trajectories, outputs, y, yNew, ref k, ref steps, next);
                }
                if (acceptedLanes == (1 << width) - 1)
                {
                    y = yNew;
                    k.K1 = end;
                }
                else
                {
                    var mask = ControlLanes.MaskOf<T>(accepted);
                    y = LaneStates.Select(mask, yNew, y);
                    k.K1 = LaneStates.Select(mask, end, k.K1);
                }
            }
            var ended = nonFinite | success | maxSteps | tooSmall;
            if (ControlLanes.Any(ended))
            {
                End(ControlLanes.Bits(ended, width), nonFinite, success, maxSteps, status);
                active &= ~ended;
            }
        }
        state = y;
        derivative = k.K1;
        running = active;
    }

    // The trajectories of the group's lanes (a lane past the launched ones repeats the first, and is never stored);
    // returns the bits of the lanes whose trajectories still run.
    private static int Trajectories<T, TSystem, TAction>(in EnsembleArgs<T, TSystem, TAction> a, int group, int launched, Span<int> trajectories)
        where T : unmanaged where TSystem : struct where TAction : struct
    {
        var width = Vector<T>.Count;
        var first = group * width;
        var live = 0;
        for (var j = 0; j < trajectories.Length; j++)
        {
            var i = j < width && first + j < launched ? At(a.Order, first + j) : At(a.Order, first);
            trajectories[j] = i;
            if (j < width && first + j < launched && At(a.Status, i) == (int)TrajectoryStatus.Running)
                live |= 1 << j;
        }
        return live;
    }

    private static LaneSteps Load<T, TSystem, TAction>(in EnsembleArgs<T, TSystem, TAction> a, ReadOnlySpan<int> trajectories, Span<int> status, Span<int> next)
        where T : unmanaged where TSystem : struct where TAction : struct
    {
        var lanes = Vector<T>.Count;
        Span<double> time = stackalloc double[lanes], step = stackalloc double[lanes], start = stackalloc double[lanes], end = stackalloc double[lanes],
            grid = stackalloc double[lanes], output = stackalloc double[lanes];
        Span<float> prevError = stackalloc float[lanes];
        Span<int> accepted = stackalloc int[lanes], rejected = stackalloc int[lanes], evaluations = stackalloc int[lanes], last = stackalloc int[lanes],
            rejection = stackalloc int[lanes];
        for (var j = 0; j < lanes; j++)
        {
            var i = trajectories[j];
            time[j] = At(a.Time, i);
            step[j] = At(a.Step, i);
            prevError[j] = (float)At(a.PrevError, i);
            accepted[j] = At(a.AcceptedSteps, i);
            rejected[j] = At(a.RejectedSteps, i);
            evaluations[j] = At(a.Evaluations, i);
            last[j] = (At(a.Flags, i) & StepFlags.LastStep) != 0 ? -1 : 0;
            rejection[j] = (At(a.Flags, i) & StepFlags.Rejected) != 0 ? -1 : 0;
            start[j] = At(a.Times, EnsembleKernels.OutputIndex(a, 0, i));
            end[j] = At(a.End, i);
            grid[j] = a.Settings.Adaptive == 0 ? FixedGrid.Steps(start[j], end[j], a.Settings.FixedStep) : 0;
            (status[j], next[j]) = (At(a.Status, i), At(a.NextOutput, i));
            output[j] = NextOutputTime(a, next[j], i);
        }
        var previous = ControlLanes.FromLanes<float>(prevError, lanes);
        return new LaneSteps
        {
            Time = DoubleLanes.FromLanes(time), Step = DoubleLanes.FromLanes(step), PrevError = previous, LogPrevError = ControlLanes.Log2(previous),
            Accepted = ControlLanes.FromLanes<int>(accepted, lanes), Rejected = ControlLanes.FromLanes<int>(rejected, lanes),
            Evaluations = ControlLanes.FromLanes<int>(evaluations, lanes), Last = ControlLanes.FromLanes<int>(last, lanes),
            Rejection = ControlLanes.FromLanes<int>(rejection, lanes), Start = DoubleLanes.FromLanes(start), End = DoubleLanes.FromLanes(end),
            GridSteps = DoubleLanes.FromLanes(grid), NextOutput = DoubleLanes.FromLanes(output),
        };
    }

    private static void Store<T, TSystem, TAction>(in EnsembleArgs<T, TSystem, TAction> a, in LaneSteps steps, ReadOnlySpan<int> trajectories, int live,
        ReadOnlySpan<int> status, ReadOnlySpan<int> next)
        where T : unmanaged where TSystem : struct where TAction : struct
    {
        for (var j = 0; j < Vector<T>.Count; j++)
        {
            if ((live >> j & 1) == 0)
                continue;
            var i = trajectories[j];
            At(a.Time, i) = steps.Time[j];
            At(a.Step, i) = steps.Step[j];
            At(a.PrevError, i) = steps.PrevError[j];
            ref var flags = ref At(a.Flags, i);
            flags = flags & ~(StepFlags.LastStep | StepFlags.Rejected) | steps.Flags(j);
            At(a.AcceptedSteps, i) = steps.Accepted[j];
            At(a.RejectedSteps, i) = steps.Rejected[j];
            At(a.Evaluations, i) = steps.Evaluations[j];
            At(a.NextOutput, i) = next[j];
            At(a.Status, i) = status[j];
            var running = status[j] == (int)TrajectoryStatus.Running;
            At(a.Running, i) = running ? 1 : 0;
            At(a.Progress, i) = running ? (long)(1000.0 * (steps.Time[j] - steps.Start[j]) / (steps.End[j] - steps.Start[j])) : 0;
        }
    }

    // ErrorNorm.FromSums of the scaled squares in every lane: the sums in T as the state computes them, the norm in
    // single precision (the controller's, see LaneSteps).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ErrorNorm<T, TLaneState, TStepper>(TLaneState error, TLaneState error3, TLaneState y, TLaneState yNew, TLaneState atol, Packed<T> rtol, int components)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLaneState : unmanaged, IStateVector<TLaneState, Packed<T>>
        where TStepper : struct, IStepper
    {
        var sum = ControlLanes.ValuesFrom(TLaneState.ScaledSquares(error, y, yNew, atol, rtol).Lanes);
        if (TStepper.ErrorEstimates == 1)
            return Vector.SquareRoot(sum * new Vector<float>(1f / components));
        var infinity = new Vector<float>(float.PositiveInfinity);
        var sum3 = ControlLanes.ValuesFrom(TLaneState.ScaledSquares(error3, y, yNew, atol, rtol).Lanes);
        var blend = sum / Vector.SquareRoot((sum + new Vector<float>(0.01f) * sum3) * new Vector<float>(components));
        var zero = Vector.Equals(sum, Vector<float>.Zero) & Vector.Equals(sum3, Vector<float>.Zero);
        return ControlLanes.Select(Vector.Equals(sum, infinity) | Vector.Equals(sum3, infinity), infinity, ControlLanes.Select(zero, Vector<float>.Zero, blend));
    }

    // True where the accepted step of signed size used reached or passed the next output time (EnsembleKernels.OutputReached per lane).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleLanes Reached(DoubleLanes nextOutput, DoubleLanes time, DoubleLanes used)
    {
        var ahead = nextOutput - time;
        return DoubleLanes.Select(DoubleLanes.Less(DoubleLanes.False, used),
            DoubleLanes.LessOrEqual(ahead, DoubleLanes.False), DoubleLanes.LessOrEqual(DoubleLanes.False, ahead));
    }

    private static void End(int lanes, Vector<int> nonFinite, Vector<int> success, Vector<int> maxSteps, Span<int> status)
    {
        for (var j = 0; j < status.Length; j++)
            if ((lanes >> j & 1) != 0)
                status[j] = (int)(nonFinite[j] != 0 ? TrajectoryStatus.NonFinite
                    : success[j] != 0 ? TrajectoryStatus.Success
                    : maxSteps[j] != 0 ? TrajectoryStatus.MaxStepsReached
                    : TrajectoryStatus.StepSizeTooSmall);
    }

    // Each accepted lane's new state into the step record, as the scalar kernel writes it.
    private static void SaveSteps<T, TState, TSystem, TLaneState>(in EnsembleArgs<T, TSystem, NoOutputAction<T, TState>> a, TLaneState yNew, in LaneSteps steps,
        ReadOnlySpan<int> trajectories, int lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct
        where TLaneState : unmanaged, IStateVector<TLaneState, Packed<T>>
    {
        long n = a.Count;
        for (var j = 0; j < Vector<T>.Count; j++)
        {
            if ((lanes >> j & 1) == 0)
                continue;
            var i = trajectories[j];
            long slot = steps.Accepted[j];
            LaneStates.StoreLane<T, TLaneState>(yNew, j, a.Steps, slot * TState.Dimension * n + i, n);
            At(a.StepTimes, slot * n + i) = steps.Time[j];
        }
    }

    // The outputs reached by the lanes in bits, by the interpolant on lanes, each lane at its own output time, over its
    // own step (EnsembleKernels.WriteOutputs' arithmetic in every lane). Where the interpolant needs extra stages
    // (DOP853), they are evaluated once for the whole group when some lane has an output inside its step, and counted for
    // those lanes. The stages come by reference: they are a kilobyte or more, and the attempt has them in memory anyway.
    private static void WriteOutputs<T, TP, TState, TSystem, TStepper, TLaneState, TLaneSystem>(in EnsembleArgs<T, TSystem, NoOutputAction<T, TState>> a,
        in TLaneSystem system, ReadOnlySpan<int> trajectories, int lanes, TLaneState y, TLaneState yNew, ref Stages<TLaneState> k, ref LaneSteps steps, Span<int> next)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TStepper : struct, IStepper
        where TLaneState : unmanaged, IStateVector<TLaneState, Packed<T>>
        where TLaneSystem : struct, IOdeSystem<Packed<T>, TLaneState>
    {
        var width = Vector<T>.Count;
        long n = a.Count;
        if (TStepper.DenseEvaluations > 0)
        {
            // An output at the step's end takes y1; later ones lie beyond it, so a lane's first output says it all.
            var inside = lanes & ~ControlLanes.Bits(ControlLanes.Narrow(DoubleLanes.Equal(steps.NextOutput, steps.Time)), width);
            if (inside != 0)
            {
                TStepper.PrepareDense<Packed<T>, PackedPrecision<T, TP>, TLaneState, TLaneSystem, PackedClock<T>>(
                    system, new PackedClock<T>(steps.PrevTime, steps.UsedStep), y, ref k);
                steps.Evaluations += ControlLanes.Mask(inside, width) & new Vector<int>(TStepper.DenseEvaluations);
            }
        }
        Span<double> following = stackalloc double[width];
        while (lanes != 0)
        {
            var time = steps.NextOutput;
            var theta = new LaneTime<T>((time - steps.PrevTime) / steps.UsedStep);
            var value = TStepper.Interpolate<Packed<T>, PackedPrecision<T, TP>, TLaneState, LaneTime<T>>(theta, new LaneTime<T>(steps.UsedStep), y, ref k);
            value = LaneStates.Select(ControlLanes.MaskOf<T>(ControlLanes.Narrow(DoubleLanes.Equal(time, steps.Time))), yNew, value);
            for (var j = 0; j < width; j++)
            {
                following[j] = time[j];
                if ((lanes >> j & 1) == 0)
                    continue;
                var i = trajectories[j];
                LaneStates.StoreLane<T, TLaneState>(value, j, a.Output, (long)next[j] * TState.Dimension * n + i, n);
                next[j]++;
                following[j] = NextOutputTime(a, next[j], i);
            }
            steps.NextOutput = DoubleLanes.FromLanes(following);
            lanes &= ControlLanes.Bits(ControlLanes.Narrow(Reached(steps.NextOutput, steps.Time, steps.UsedStep)), width);
        }
    }

    // The absolute tolerances, the same in every lane.
    private static TLaneState Broadcast<T, TLaneState>(ArrayView<T> atol)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLaneState : unmanaged, IStateVector<TLaneState, Packed<T>>
    {
        Span<int> first = stackalloc int[Vector<int>.Count];
        return LaneStates.Load<T, TLaneState>(atol, 0, 1, first);
    }
}
