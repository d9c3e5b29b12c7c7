using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble;

/// <summary>
/// The fused ensemble mode: one thread integrates one trajectory with its own step size, controller, dense output
/// and status, the state and stages in registers. The host launches <see cref="Advance"/> in slices of at most
/// <see cref="EnsembleArgs{T, TSystem, TAction}.SliceSteps"/> attempts.
/// </summary>
public static class EnsembleKernels
{
    /// <summary>f(t0, y0), the first step (given, or Hairer-Norsett-Wanner II.4) and the output at t0.</summary>
    public static void Start<T, TP, TState, TSystem, TAction>(Index1D index, EnsembleArgs<T, TSystem, TAction> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TAction : struct, IOutputAction<T, TState>
    {
        int i = a.Order[index];
        long n = a.Count;
        var y = TState.Load(a.Y, i, n);
        var system = a.System;
        if (a.ParameterCount > 0)
            system.LoadParameters(new StoredParameters<T>(a.Parameters, i, n));
        var t0 = a.Time[i];
        var t1 = a.End[i];
        var f0 = system.Evaluate(TP.FromDouble(t0), y);
        TState.Store(f0, a.K1, i, n);
        TState.Store(y, a.Output, i, n);
        if (a.SaveSteps != 0)
        {
            TState.Store(y, a.Steps, i, n);
            a.StepTimes[i] = t0;
        }
        var h = a.InitialStep;
        var evaluations = 1;
        if (h == 0)
        {
            h = EstimateFirstStep<T, TP, TState, TSystem, TAction>(a, system, y, f0, t0, t1);
            evaluations++;
        }
        var flags = 0;
        a.Step[i] = a.Settings.Adaptive == 0
            ? FixedGrid.Step(t0, t1, a.Settings.FixedStep, FixedGrid.Steps(t0, t1, a.Settings.FixedStep), 0, ref flags)
            : StepLimits.Clip(t0, h, TAction.StopsAtOutputs ? OutputTime(a, 1, i) : t1, a.Settings.MaxStep, ref flags);
        a.Flags[i] = flags;
        a.Evaluations[i] = evaluations;
        a.NextOutput[i] = 1;
        a.PrevError[i] = 1.0;
        a.Status[i] = (int)TrajectoryStatus.Running;
    }

    /// <summary>Up to <see cref="EnsembleArgs{T, TSystem, TAction}.SliceSteps"/> attempts of one trajectory, with its outputs.</summary>
    public static void Advance<T, TP, TState, TSystem, TStepper, TAction>(Index1D index, EnsembleArgs<T, TSystem, TAction> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TStepper : struct, IStepper
        where TAction : struct, IOutputAction<T, TState>
    {
        int i = a.Order[index];
        if (a.Status[i] != (int)TrajectoryStatus.Running)
            return;
        long n = a.Count;
        var system = a.System;
        if (a.ParameterCount > 0)
            system.LoadParameters(new StoredParameters<T>(a.Parameters, i, n));
        var t0 = OutputTime(a, 0, i);
        var t1 = a.End[i];
        var y = TState.Load(a.Y, i, n);
        var k1 = TState.Load(a.K1, i, n);
        var s = new StepState
        {
            Time = a.Time[i], Step = a.Step[i], PrevError = a.PrevError[i], Flags = a.Flags[i],
            AcceptedSteps = a.AcceptedSteps[i], RejectedSteps = a.RejectedSteps[i],
        };
        var evaluations = a.Evaluations[i];
        var next = a.NextOutput[i];
        var status = Attempts<T, TP, TState, TSystem, TStepper, TAction>(a, system, i, t0, t1, ref y, ref k1, ref s, ref evaluations, ref next);
        TState.Store(y, a.Y, i, n);
        TState.Store(k1, a.K1, i, n);
        a.Time[i] = s.Time;
        a.Step[i] = s.Step;
        a.PrevError[i] = s.PrevError;
        a.Flags[i] = s.Flags;
        a.AcceptedSteps[i] = s.AcceptedSteps;
        a.RejectedSteps[i] = s.RejectedSteps;
        a.Evaluations[i] = evaluations;
        a.NextOutput[i] = next;
        a.Status[i] = (int)status;
        var running = status == TrajectoryStatus.Running;
        a.Running[i] = running ? 1 : 0;
        a.Progress[i] = running ? (long)(1000.0 * (s.Time - t0) / (t1 - t0)) : 0;
    }

    // The attempts of one slice, in a method of their own: RyuJIT stops inlining in a method that has too many locals,
    // and the view accesses that load and store the trajectory around the loop (each inlines a dozen methods) used them
    // up, leaving calls inside the step (RK4's end derivative). ILGPU inlines it, so the GPU code is the same.
    private static TrajectoryStatus Attempts<T, TP, TState, TSystem, TStepper, TAction>(in EnsembleArgs<T, TSystem, TAction> a, TSystem system,
        int i, double t0, double t1, ref TState state, ref TState derivative, ref StepState step, ref int evaluationCount, ref int nextOutput)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TStepper : struct, IStepper
        where TAction : struct, IOutputAction<T, TState>
    {
        // Locals, not the references: RyuJIT keeps locals in registers across the loop and reads a reference from memory.
        var y = state;
        var k = default(Stages<TState>);
        k.K1 = derivative;
        var s = step;
        var evaluations = evaluationCount;
        var next = nextOutput;
        long n = a.Count;
        var atol = TState.Load(a.Atol, 0, 1);
        var rtol = TP.FromDouble(a.Rtol);
        var action = a.Action;
        // An action at output times ends steps on them: the span of each step is then [previous output, next output].
        var stop = TAction.StopsAtOutputs ? OutputTime(a, next, i) : t1;
        // Fixed steps never end on output times (the solver refuses that), so their grid runs from t0 to t1.
        var gridSteps = a.Settings.Adaptive == 0 ? FixedGrid.Steps(t0, t1, a.Settings.FixedStep) : 0;
        var status = TrajectoryStatus.Running;
        for (var attempt = 0; attempt < a.SliceSteps && status == TrajectoryStatus.Running; attempt++)
        {
            TStepper.Attempt<T, TP, TState, TSystem, StepClock<T, TP>>(system, new StepClock<T, TP>(s.Time, s.Step), y, ref k, out var yNew, out var error, out var error3);
            evaluations += TStepper.AttemptEvaluations;
            var err = a.Settings.Adaptive == 0
                ? TState.IsFinite(yNew) ? 0 : double.NaN
                : ScaledErrorNorm<T, TP, TState, TStepper>(error, error3, y, yNew, atol, rtol, a.Settings.NormComponents);
            status = StepDecision.Decide(err, ref s, a.Settings, t0, stop, gridSteps);
            if (!s.Accepted)
                continue;
            if (a.SaveSteps != 0)
            {
                TState.Store(yNew, a.Steps, (long)s.AcceptedSteps * TState.Dimension * n + i, n);
                a.StepTimes[(long)s.AcceptedSteps * n + i] = s.Time;
            }
            var end = TStepper.EndDerivative<T, TP, TState, TSystem>(system, TP.FromDouble(s.Time), yNew, ref k);
            evaluations += TStepper.EndEvaluations;
            if (OutputReached(a, next, i, s))
                evaluations += WriteOutputs<T, TP, TState, TSystem, TStepper, TAction>(a, system, i, s, y, yNew, k, ref next);
            if (TAction.StopsAtOutputs && s.Time == stop)
            {
                yNew = action.AtOutput(i, next - 1, stop, yNew);
                if (next < a.OutputCount)
                {
                    end = system.Evaluate(TP.FromDouble(stop), yNew); // the state may have changed: f(t, y) anew
                    evaluations++;
                    stop = OutputTime(a, next, i);
                    status = TrajectoryStatus.Running;
                    var flags = s.Flags;
                    s.Step = StepLimits.Clip(s.Time, s.UsedStep, stop, a.Settings.MaxStep, ref flags);
                    s.Flags = flags;
                }
            }
            y = yNew;
            k.K1 = end;
        }
        state = y;
        derivative = k.K1;
        step = s;
        evaluationCount = evaluations;
        nextOutput = next;
        return status;
    }

    // The outputs an accepted step reaches, by the interpolant inside the step; returns the evaluations it spent. A
    // call on the CPU (RyuJIT does not inline a method with a loop), made only when an output is reached. Its arguments
    // are copies: a local passed by reference to a call lives in memory for the whole of Attempts, so y, the new y,
    // the stages and the step state would be stored and reloaded at every step. ILGPU inlines it, so the GPU code is
    // the same.
    private static int WriteOutputs<T, TP, TState, TSystem, TStepper, TAction>(in EnsembleArgs<T, TSystem, TAction> a, TSystem system,
        int i, StepState s, TState y, TState yNew, Stages<TState> k, ref int next)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TStepper : struct, IStepper
        where TAction : struct
    {
        long n = a.Count;
        var evaluations = 0;
        var prepared = false;
        while (OutputReached(a, next, i, s))
        {
            var t = OutputTime(a, next, i);
            if (t != s.Time && !prepared)
            {
                TStepper.PrepareDense<T, TP, TState, TSystem, StepClock<T, TP>>(system, new StepClock<T, TP>(s.PrevTime, s.UsedStep), y, ref k);
                evaluations += TStepper.DenseEvaluations;
                prepared = true;
            }
            var value = t == s.Time ? yNew
                : TStepper.Interpolate<T, TP, TState, DenseTime<T, TP>>(new((t - s.PrevTime) / s.UsedStep), new(s.UsedStep), y, ref k);
            TState.Store(value, a.Output, (long)next * TState.Dimension * n + i, n);
            next++;
        }
        return evaluations;
    }

    // True when the step just accepted reached or passed output time next.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool OutputReached<T, TSystem, TAction>(in EnsembleArgs<T, TSystem, TAction> a, int next, int i, in StepState s)
        where T : unmanaged where TSystem : struct where TAction : struct =>
        next < a.OutputCount && Passed(OutputTime(a, next, i), s);

    // True when the step just accepted reached or passed time t, in its direction (false for NaN: the lane kernel's
    // test for a group on one grid, which keeps its next output time, NaN past the last).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Passed(double t, in StepState s) => (s.UsedStep > 0 ? 1.0 : -1.0) * (t - s.Time) <= 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double OutputTime<T, TSystem, TAction>(in EnsembleArgs<T, TSystem, TAction> a, int j, int i)
        where T : unmanaged where TSystem : struct where TAction : struct =>
        a.Times[OutputIndex(a, j, i)];

    /// <summary>Where output time <paramref name="j"/> of trajectory <paramref name="i"/> lies in Times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long OutputIndex<T, TSystem, TAction>(in EnsembleArgs<T, TSystem, TAction> a, int j, int i)
        where T : unmanaged where TSystem : struct where TAction : struct =>
        j * a.TimeRowStride + i * a.TimeTrajectoryStride;

    /// <summary>
    /// The error norm of one attempt as <see cref="ErrorNorm"/> defines it for both modes: the scaled squares summed
    /// in T by <see cref="IStateVector{TSelf, T}.ScaledSquares"/>, then <see cref="ErrorNorm.FromSums"/>; NaN when
    /// <paramref name="yNew"/> is not finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ScaledErrorNorm<T, TP, TState, TStepper>(in TState error, in TState error3, in TState y, in TState yNew, in TState atol, T rtol, int components)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TStepper : struct, IStepper
    {
        if (!TState.IsFinite(yNew))
            return double.NaN;
        var sum = TP.ToDouble(TState.ScaledSquares(error, y, yNew, atol, rtol));
        if (TStepper.ErrorEstimates == 1)
            return ErrorNorm.FromSums(sum, 0, components, 0);
        var sum3 = TP.ToDouble(TState.ScaledSquares(error3, y, yNew, atol, rtol));
        return ErrorNorm.FromSums(sum, sum3, components, 1);
    }

    // Hairer, Norsett and Wanner I, II.4, as the batched mode's InitialStepKernels do it over rows.
    private static double EstimateFirstStep<T, TP, TState, TSystem, TAction>(in EnsembleArgs<T, TSystem, TAction> a, in TSystem system, TState y, TState f0, double t0, double t1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TAction : struct
    {
        var atol = TState.Load(a.Atol, 0, 1);
        var rtol = TP.FromDouble(a.Rtol);
        var dim = a.Settings.NormComponents;
        // with e = x and y0 = y1 = y, ScaledSquares gives sum (x / (atol + rtol |y|))^2
        var d0 = Math.Sqrt(TP.ToDouble(TState.ScaledSquares(y, y, y, atol, rtol)) / dim);
        var d1 = Math.Sqrt(TP.ToDouble(TState.ScaledSquares(f0, y, y, atol, rtol)) / dim);
        var direction = t1 >= t0 ? 1.0 : -1.0;
        var h0 = direction * FirstStep.Guess(d0, d1, Math.Abs(t1 - t0));
        var f1 = system.Evaluate(TP.FromDouble(t0 + h0), TState.MulAdd(y, TP.FromDouble(h0), f0));
        var difference = TState.MulAdd(f1, -T.One, f0);
        var d2 = Math.Sqrt(TP.ToDouble(TState.ScaledSquares(difference, y, y, atol, rtol)) / dim) / Math.Abs(h0);
        return direction * FirstStep.Refine(Math.Abs(h0), d1, d2, a.Settings.Order);
    }
}
