using System.Numerics;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble.Adjoint;

/// <summary>
/// The fused discrete adjoint: each thread replays its trajectory's recorded accepted steps from the last to the first,
/// the step's VJP by <see cref="IStepper.Reverse"/> (stages recomputed, then differentiated in reverse order), with the
/// state's adjoint, the parameters' adjoint and the time shift in registers. Outputs are step ends (the forward solve
/// stopped on them), so an output's cotangent joins the state's adjoint where its step begins the reverse sweep.
/// </summary>
public static class DiscreteSweepKernels
{
    /// <summary>The gradients of one trajectory from its step record.</summary>
    public static void Sweep<T, TP, TState, TParams, TSystem, TAdjoint, TStepper>(Index1D index, DiscreteSweepArgs<T, TSystem, TAdjoint> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TParams : unmanaged, IStateVector<TParams, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TAdjoint : struct, IOdeSystem<T, AdjointState<T, TState, TParams>>
        where TStepper : struct, IStepper
    {
        int i = index;
        if (a.Status[i] != (int)TrajectoryStatus.Success)
            return;
        long n = a.Count;
        var system = a.System;
        var adjoint = a.Adjoint;
        if (a.ParameterCount > 0)
        {
            system.LoadParameters(new StoredParameters<T>(a.Parameters, i, n));
            adjoint.LoadParameters(new StoredParameters<T>(a.Parameters, i, n));
        }
        var output = a.OutputCount - 1;
        var yBar = TState.Load(a.Cotangents, (long)output * TState.Dimension * n + i, n);
        var parameterBar = default(TParams);
        var timeBar = T.Zero;
        var steps = a.AcceptedSteps[i];
        for (var m = steps - 1; m >= 0; m--)
        {
            var t = a.StepTimes[(long)m * n + i];
            var h = a.StepTimes[(long)(m + 1) * n + i] - t;
            var y = TState.Load(a.Steps, (long)m * TState.Dimension * n + i, n);
            TStepper.Reverse<T, TP, TState, TParams, TSystem, TAdjoint>(system, adjoint, t, h, y, ref yBar, ref parameterBar, ref timeBar);
            if (output > 0 && t == a.Times[output - 1])
            {
                output--;
                yBar = TState.MulAdd(yBar, T.One, TState.Load(a.Cotangents, (long)output * TState.Dimension * n + i, n));
            }
        }
        TState.Store(yBar, a.StateGradient, i, n);
        TParams.Store(parameterBar, a.ParameterGradient, i, n);
        a.TimeShift[i] = timeBar;
        a.Evaluations[i] = steps * TStepper.ReverseEvaluations;
    }
}
