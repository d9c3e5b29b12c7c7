using System.Numerics;
using System.Reflection;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Adjoint;

/// <summary>
/// The fused discrete adjoint: the ensemble kernel records each trajectory's accepted steps in device memory, their
/// steps ending on the output times, and <see cref="DiscreteSweepHook{T, TP, TState, TParams, TSystem, TAdjoint, TStepper}"/>
/// replays each chunk's record in one thread per trajectory before the chunk's buffers are freed. The record starts at
/// <see cref="FirstCapacity"/> steps per trajectory; trajectories that need more are solved again, alone, with four
/// times the room, up to the step limit, so memory follows the steps actually taken and chunks are sized for it.
/// </summary>
internal static class FusedDiscreteGradient
{
    /// <summary>Steps each trajectory's record holds at first: a few hundred cost little memory and spare most solves a repeat.</summary>
    internal const int FirstCapacity = 256;

    /// <summary>The forward solution, and each trajectory's gradients from its record, for the given cotangents or a loss.</summary>
    /// <exception cref="ArgumentException">Fixed steps with output times between t0 and t1 (their outputs are interpolated, not step ends).</exception>
    public static (Solution<T> Forward, FusedGradients<T> Results) Solve<T, TState, TSystem>(OdeDevice device, TSystem system, FusedAdjointSystem fused,
        TState[] y0, T[,] parameters, double[] times, T[,,]? cotangents, ILoss<T>? loss, SolveOptions options, EnsembleOptions ensemble)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var fixedSteps = options.Controller is FixedStep;
        if (fixedSteps && times.Length > 2)
            throw new ArgumentException(
                $"the fused discrete adjoint with fixed steps differentiates steps that end on the output times, but {times.Length - 2} output times lie between t0 and t1: use an adaptive controller or the batched mode",
                nameof(times));
        var rows = y0.Length;
        var results = new FusedGradients<T>(rows, TState.Dimension, parameters.GetLength(1), loss is null ? 0 : times.Length);
        var evaluations = new int[rows];
        Solution<T>? forward = null;
        var pending = Enumerable.Range(0, rows).ToArray();
        for (var capacity = Math.Min(options.MaxSteps, FirstCapacity); ; capacity = (int)Math.Min(options.MaxSteps, 4L * capacity))
        {
            var hook = Hook<T, TState, TSystem>(device, system, fused, pending, times, cotangents, loss, parameters.GetLength(1), options.Method, results);
            var part = fixedSteps
                ? Record(device, system, default(NoOutputAction<T, TState>), y0, parameters, times, options with { MaxSteps = capacity }, ensemble, hook, pending)
                : Record(device, system, default(StopAtOutputs<T, TState>), y0, parameters, times, options with { MaxSteps = capacity }, ensemble, hook, pending);
            for (var k = 0; k < pending.Length; k++)
                evaluations[pending[k]] += part.Statistics.Evaluations[k];
            forward = forward is null ? part : forward.Replace(pending, part);
            var overflow = Enumerable.Range(0, pending.Length).Where(k => part.Status[k] == TrajectoryStatus.MaxStepsReached).ToArray();
            if (capacity >= options.MaxSteps || overflow.Length == 0)
                break;
            pending = [.. overflow.Select(k => pending[k])];
        }
        return (forward.WithEvaluations(evaluations), results);
    }

    private static Solution<T> Record<T, TState, TSystem, TAction>(OdeDevice device, TSystem system, TAction action, TState[] y0, T[,] parameters,
        double[] times, SolveOptions options, EnsembleOptions ensemble, IEnsembleRecordHook<T> hook, int[] rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TAction : struct, IOutputAction<T, TState>
    {
        // the sweep's own buffers per trajectory: the cotangents at the output times and the gradients
        return EnsembleSolver.Record(device, system, action, [.. rows.Select(r => y0[r])], ArrayRows.Select(parameters, rows), times, options, ensemble,
            hook, times.Length + 2);
    }

    // The hook's generic type closes over the adjoint system and stepper, which are known only at run time.
    private static IEnsembleRecordHook<T> Hook<T, TState, TSystem>(OdeDevice device, TSystem system, FusedAdjointSystem fused, int[] rows,
        double[] times, T[,,]? cotangents, ILoss<T>? loss, int parameters, Tableaux.ButcherTableau method, FusedGradients<T> results)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var type = typeof(DiscreteSweepHook<,,,,,,>).MakeGenericType(typeof(T), PrecisionOf.Struct<T>(), typeof(TState), fused.Parameters,
            typeof(TSystem), fused.System.GetType(), FusedSteppers.Of(method));
        try
        {
            return (IEnsembleRecordHook<T>)Activator.CreateInstance(type, device, system, fused.System, rows, times, cotangents, loss, method, parameters, results)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
