using System.Numerics;
using ILGPU;
using OdeGpu.Ensemble.Adjoint;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble;

/// <summary>
/// One Runge-Kutta method as straight-line device code over register-held stages, for the fused ensemble kernel.
/// The implementations in Steppers/ are generated from the tableaux of OdeGpu.Solvers (a test regenerates them and
/// fails when they differ), so the coefficients are still written once.
/// </summary>
public interface IStepper
{
    /// <summary>Right-hand-side evaluations of one attempt, K1 excluded (it is carried from the previous step).</summary>
    static abstract int AttemptEvaluations { get; }

    /// <summary>1 when f(t1, y1) is an extra evaluation after an accepted step, 0 for FSAL methods.</summary>
    static abstract int EndEvaluations { get; }

    /// <summary>Extra evaluations the interpolant needs in a step that covers an output time.</summary>
    static abstract int DenseEvaluations { get; }

    /// <summary>1 when the error norm blends two estimates (DOP853).</summary>
    static abstract int ErrorEstimates { get; }

    /// <summary>
    /// Computes the stages after K1, the proposed y1 and the error estimate(s), all already multiplied by h, for the
    /// step that <paramref name="clock"/> times (one trajectory's, or one per SIMD lane).
    /// </summary>
    static abstract void Attempt<T, TP, TState, TSystem, TClock>(
        in TSystem system, in TClock clock, in TState y, ref Stages<TState> k,
        out TState yNew, out TState error, out TState error3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TClock : struct, IStepClock<T>;

    /// <summary>
    /// <see cref="Attempt"/> compiled as a few separate methods, each a few stages long, for arithmetic that RyuJIT
    /// cannot hold in one method: an operation on SIMD lanes costs it several locals where a float costs none, and past
    /// its 1,024 locals it stops inlining and calls each remaining operation with copies of its operands. The same
    /// arithmetic in the same order as <see cref="Attempt"/>; the lane kernels call it, the GPU and scalar kernels do not.
    /// </summary>
    static abstract void AttemptInParts<T, TP, TState, TSystem, TClock>(
        in TSystem system, in TClock clock, in TState y, ref Stages<TState> k,
        out TState yNew, out TState error, out TState error3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TClock : struct, IStepClock<T>;

    /// <summary>f(t1, y1) after an accepted step: the last stage of FSAL methods, else one evaluation (kept in k).</summary>
    static abstract TState EndDerivative<T, TP, TState, TSystem>(
        in TSystem system, T t1, in TState yNew, ref Stages<TState> k)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>;

    /// <summary>
    /// Evaluates the extra stages the interpolant needs (none for most methods) over the accepted step that
    /// <paramref name="clock"/> times (one trajectory's, or one per SIMD lane).
    /// </summary>
    static abstract void PrepareDense<T, TP, TState, TSystem, TClock>(
        in TSystem system, in TClock clock, in TState y, ref Stages<TState> k)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TClock : struct, IStepClock<T>;

    /// <summary>Right-hand-side evaluations plus vector-Jacobian products in one <see cref="Reverse"/>.</summary>
    static abstract int ReverseEvaluations { get; }

    /// <summary>
    /// The vector-Jacobian product of one accepted step y1 = y + h sum_j b_j K_j, its size h taken as given (the
    /// controller is not differentiated): recomputes the stages from (t, h, y) with the arithmetic of
    /// <see cref="Attempt"/>, then turns <paramref name="yBar"/> = dL/dy1 into dL/dy, adding each stage's a^T df/dp to
    /// <paramref name="parameterBar"/> and a^T df/dt to <paramref name="timeBar"/>. A stage's VJP is
    /// <paramref name="adjoint"/>'s Evaluate on [Y_j, KBar_j], which returns it negated, as the continuous adjoint's
    /// dynamics do.
    /// </summary>
    static abstract void Reverse<T, TP, TState, TParams, TSystem, TAdjoint>(
        in TSystem system, in TAdjoint adjoint, double t, double h, in TState y, ref TState yBar, ref TParams parameterBar, ref T timeBar)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TParams : unmanaged, IStateVector<TParams, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TAdjoint : struct, IOdeSystem<T, AdjointState<T, TState, TParams>>;

    /// <summary>
    /// The interpolant y(t + theta h) over the accepted step, its weights computed in <typeparamref name="TTime"/>
    /// (one trajectory's theta and h, or one per SIMD lane).
    /// </summary>
    static abstract TState Interpolate<T, TP, TState, TTime>(TTime theta, TTime h, in TState y, ref Stages<TState> k)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TTime : struct, IDenseTime<TTime, T>;
}
