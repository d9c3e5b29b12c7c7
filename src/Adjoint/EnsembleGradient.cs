using System.Numerics;
using System.Reflection;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.Gradients;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Adjoint;

/// <summary>
/// Gradients in the fused ensemble mode, one thread per trajectory. The continuous adjoint integrates each trajectory's
/// augmented state [z, a, a_p, a_t] backwards in registers, the forward solve saving at the output times only, so memory
/// does not grow with the steps. The discrete adjoint records each trajectory's accepted steps in device memory (its
/// steps end on the output times) and replays them backwards, giving the gradient of what was computed to round-off.
/// Both take the right-hand side's vector-Jacobian product from the system's own <see cref="IVjpSystem{T, TState}"/> or
/// from duals (dimension + 1 + parameters at most 32). The batched <see cref="AdjointSolver{T}"/> gives the same
/// gradients within the solves' tolerances.
/// </summary>
public static class EnsembleGradient
{
    /// <summary>
    /// Solves every trajectory forward over <paramref name="times"/>, then gives each trajectory's gradient of its loss
    /// from <paramref name="cotangents"/> = dL/dz at its output times.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="system">The right-hand side, generic over its arithmetic type unless it implements <see cref="IVjpSystem{T, TState}"/>.</param>
    /// <param name="y0">Initial state of each trajectory.</param>
    /// <param name="parameters">Each trajectory's parameters, [trajectories, system.ParameterCount].</param>
    /// <param name="times">Output times, strictly monotonic: t0 first, t1 last.</param>
    /// <param name="cotangents">dL/dz at the output times, [trajectories, times, dim].</param>
    /// <param name="options">
    /// Forward method, controller and limits; <see cref="SolveOptions.Adjoint"/> picks the method: a
    /// <see cref="ContinuousAdjoint"/>'s method, controller and seminorm drive the backward solve, and a
    /// <see cref="DiscreteAdjoint"/> replays the forward steps. Null for the defaults.
    /// </param>
    /// <param name="ensemble">Slices, compaction and chunks of the solves; null for the defaults.</param>
    /// <param name="useSystemVjp">Whether a system's own <see cref="IVjpSystem{T, TState}"/> is used (false: duals always).</param>
    /// <returns>dL/dz0 [trajectories, dim], dL/dp [trajectories, P] and dL/dt_i [trajectories, times]; rows that failed hold NaN.</returns>
    /// <exception cref="ArgumentException">An input is malformed, or the system's derivatives do not fit in registers; nothing has been launched.</exception>
    public static SolveGradient<T> Of<T, TState, TSystem>(OdeDevice device, TSystem system, TState[] y0, T[,] parameters, double[] times, T[,,] cotangents,
        SolveOptions? options = null, EnsembleOptions? ensemble = null, bool useSystemVjp = true)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        ValidateCotangents(cotangents, y0.Length, times.Length, TState.Dimension);
        return Run(device, system, y0, parameters, times, cotangents, null, options, ensemble, useSystemVjp).Gradient;
    }

    /// <summary>
    /// Solves every trajectory forward over <paramref name="times"/>, evaluates <paramref name="loss"/> on its states at
    /// the output times after t0, and gives each trajectory's loss and its gradient: one forward solve, whose outputs
    /// the loss sees chunk by chunk. The loss must be one per row (a row's value and cotangents depend on that row only).
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="system">The right-hand side, generic over its arithmetic type unless it implements <see cref="IVjpSystem{T, TState}"/>.</param>
    /// <param name="y0">Initial state of each trajectory.</param>
    /// <param name="parameters">Each trajectory's parameters, [trajectories, system.ParameterCount].</param>
    /// <param name="times">Output times, strictly monotonic: t0 first, t1 last.</param>
    /// <param name="loss">The loss of each trajectory's states at times[1..].</param>
    /// <param name="options">As for the overload that takes cotangents.</param>
    /// <param name="ensemble">Slices, compaction and chunks of the solves; null for the defaults.</param>
    /// <param name="useSystemVjp">Whether a system's own <see cref="IVjpSystem{T, TState}"/> is used (false: duals always).</param>
    /// <returns>The loss, the states it saw and the gradients over times (column 0 is dL/dt0); rows that failed hold NaN.</returns>
    /// <exception cref="ArgumentException">An input is malformed, or the system's derivatives do not fit in registers; nothing has been launched.</exception>
    public static LossGradient<T> Of<T, TState, TSystem>(OdeDevice device, TSystem system, TState[] y0, T[,] parameters, double[] times, ILoss<T> loss,
        SolveOptions? options = null, EnsembleOptions? ensemble = null, bool useSystemVjp = true)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var (gradient, values) = Run(device, system, y0, parameters, times, null, loss, options, ensemble, useSystemVjp);
        return new LossGradient<T>(values, gradient.Forward.SelectTimes([.. Enumerable.Range(1, times.Length - 1)]), gradient);
    }

    // Either the cotangents or the loss is given.
    private static (SolveGradient<T> Gradient, T[] Loss) Run<T, TState, TSystem>(OdeDevice device, TSystem system, TState[] y0, T[,] parameters,
        double[] times, T[,,]? cotangents, ILoss<T>? loss, SolveOptions? options, EnsembleOptions? ensemble, bool useSystemVjp)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        options ??= new SolveOptions();
        ensemble ??= new EnsembleOptions();
        InputValidation.Times(times);
        InputValidation.Parameters(parameters, y0.Length, system.ParameterCount);
        if (options.Adjoint is DiscreteAdjoint { CheckpointEvery: > 1 })
            throw new ArgumentException("the fused discrete adjoint records every state (its record is per trajectory and grows as needed); checkpoints are the batched mode's", nameof(options));
        if (options.Adjoint is DiscreteAdjoint { KeepEvaluations: true })
            throw new ArgumentException("the fused discrete adjoint evaluates each trajectory's stages again in its own thread and keeps none; KeepEvaluations is the batched mode's", nameof(options));
        var fused = FusedAdjointSystem.For<T, TState, TSystem>(system, useSystemVjp);
        return options.Adjoint is ContinuousAdjoint adjoint
            ? Continuous(device, system, fused, adjoint, y0, parameters, times, cotangents, loss, options, ensemble)
            : Discrete(device, system, fused, y0, parameters, times, cotangents, loss, options, ensemble);
    }

    // One forward solve saving at the output times, the loss on the host, then the augmented state backwards.
    private static (SolveGradient<T> Gradient, T[] Loss) Continuous<T, TState, TSystem>(OdeDevice device, TSystem system, FusedAdjointSystem fused,
        ContinuousAdjoint adjoint, TState[] y0, T[,] parameters, double[] times, T[,,]? cotangents, ILoss<T>? loss, SolveOptions options, EnsembleOptions ensemble)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var forward = EnsembleSolver.Solve(device, system, y0, parameters, times, options, ensemble);
        var values = new T[y0.Length];
        if (loss is not null)
            (values, cotangents) = SavedLoss.Evaluate(loss, forward);
        var backward = Backward<T, TState>(device, fused, forward, parameters, times, cotangents!, BackwardOptions(options, adjoint, TState.Dimension, system.ParameterCount), ensemble);
        var status = forward.Status.Zip(backward.Status, (f, b) => f == TrajectoryStatus.Success ? b : f).ToArray();
        var gradients = FromBackward<T, TState>(backward, cotangents!, parameters.GetLength(1));
        return (Gradient<T, TState, TSystem>(system, forward, gradients, status, parameters, times, cotangents!, backward.Statistics), values);
    }

    // The recording forward solve, each chunk's record swept where it lies (the loss, if any, seen chunk by chunk).
    private static (SolveGradient<T> Gradient, T[] Loss) Discrete<T, TState, TSystem>(OdeDevice device, TSystem system, FusedAdjointSystem fused,
        TState[] y0, T[,] parameters, double[] times, T[,,]? cotangents, ILoss<T>? loss, SolveOptions options, EnsembleOptions ensemble)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var (recorded, swept) = FusedDiscreteGradient.Solve(device, system, fused, y0, parameters, times, cotangents, loss, options, ensemble);
        var sweep = new SolveStatistics(swept.Evaluations, recorded.Statistics.AcceptedSteps, new int[y0.Length], recorded.Statistics.HostIterations);
        return (Gradient<T, TState, TSystem>(system, recorded, swept, recorded.Status, parameters, times, cotangents ?? swept.Cotangents, sweep), swept.Loss);
    }

    // The backward solve: the adjoint's method and controller; the seminorm covers z and a, and a missing parameter's placeholder is never in the norm.
    private static SolveOptions BackwardOptions(SolveOptions options, ContinuousAdjoint adjoint, int dimension, int parameters)
    {
        var width = 2 * dimension + Math.Max(parameters, 1) + 1;
        var placeholder = parameters == 0 ? 2 * dimension : -1;
        return options with
        {
            Method = adjoint.Method ?? options.Method,
            Controller = adjoint.Controller ?? options.Controller,
            ErrorComponents = adjoint.Seminorm ? [.. Enumerable.Range(0, 2 * dimension)]
                : parameters == 0 ? [.. Enumerable.Range(0, width).Where(c => c != placeholder)] : null,
            InitialStep = null,
        };
    }

    private static Solution<T> Backward<T, TState>(OdeDevice device, FusedAdjointSystem fused, Solution<T> forward, T[,] parameters, double[] times,
        T[,,] cotangents, SolveOptions options, EnsembleOptions ensemble)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
    {
        var solve = typeof(FusedBackward).GetMethod(nameof(FusedBackward.Solve))!
            .MakeGenericMethod(typeof(T), typeof(TState), fused.Parameters, fused.System.GetType());
        try
        {
            return (Solution<T>)solve.Invoke(null, [device, fused.System, forward, parameters, times, cotangents, options, ensemble])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    // The continuous adjoint's gradients from its backward solution at t0, where dL/dz0 gets dL/dz there (the solution
    // holds the state before the last output action).
    private static FusedGradients<T> FromBackward<T, TState>(Solution<T> backward, T[,,] cotangents, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
    {
        int rows = backward.Rows, dim = TState.Dimension, last = backward.Times.Length - 1;
        var gradients = new FusedGradients<T>(rows, dim, count, 0);
        for (var r = 0; r < rows; r++)
        {
            for (var d = 0; d < dim; d++)
                gradients.State[r, d] = backward[r, last, dim + d] + cotangents[r, 0, d];
            for (var k = 0; k < count; k++)
                gradients.Parameters[r, k] = backward[r, last, 2 * dim + k];
            gradients.TimeShift[r] = backward[r, last, 2 * dim + Math.Max(count, 1)];
        }
        return gradients;
    }

    // The result, with what the host accounts for: each output time's dL/dt_i = dL/dz_i . f(t_i, z_i), and
    // dL/dt0 = (the time shift: how L moves when every time moves together) - sum of them; NaN where a row failed.
    private static SolveGradient<T> Gradient<T, TState, TSystem>(TSystem system, Solution<T> forward, FusedGradients<T> gradients, TrajectoryStatus[] status,
        T[,] parameters, double[] times, T[,,] cotangents, SolveStatistics backward)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        int rows = forward.Rows, dim = TState.Dimension, count = parameters.GetLength(1);
        var initial = new T[rows, dim];
        var parameterGradient = new T[rows, count];
        var timeGradient = new T[rows, times.Length];
        for (var r = 0; r < rows; r++)
        {
            var ok = status[r] == TrajectoryStatus.Success;
            for (var d = 0; d < dim; d++)
                initial[r, d] = ok ? gradients.State[r, d] : T.NaN;
            for (var k = 0; k < count; k++)
                parameterGradient[r, k] = ok ? gradients.Parameters[r, k] : T.NaN;
            var jumps = T.Zero;
            for (var i = 1; i < times.Length; i++)
            {
                timeGradient[r, i] = ok ? OutputTimeGradient<T, TState, TSystem>(system, forward, parameters, times, cotangents, r, i) : T.NaN;
                jumps += timeGradient[r, i];
            }
            timeGradient[r, 0] = ok ? gradients.TimeShift[r] - jumps : T.NaN;
        }
        return new SolveGradient<T>(forward, initial, parameterGradient, null, timeGradient, status, backward);
    }

    // dL/dz_i . f(t_i, z_i), f evaluated on the host with the row's parameters.
    private static T OutputTimeGradient<T, TState, TSystem>(TSystem system, Solution<T> forward, T[,] parameters, double[] times, T[,,] cotangents, int row, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var z = new T[TState.Dimension];
        for (var d = 0; d < z.Length; d++)
            z[d] = forward[row, i, d];
        system.LoadParameters(new RowParameters<T>(parameters, row));
        var f = system.Evaluate(T.CreateTruncating(times[i]), TState.FromComponents(z));
        var dot = T.Zero;
        for (var d = 0; d < z.Length; d++)
            dot += cotangents[row, i, d] * TState.Component(f, d);
        return dot;
    }

    private static void ValidateCotangents<T>(T[,,] cotangents, int rows, int times, int dimension)
    {
        if (cotangents.GetLength(0) != rows || cotangents.GetLength(1) != times || cotangents.GetLength(2) != dimension)
            throw new ArgumentException(
                $"cotangents must be [{rows}, {times}, {dimension}] (trajectories, times, dim), but is [{cotangents.GetLength(0)}, {cotangents.GetLength(1)}, {cotangents.GetLength(2)}]",
                nameof(cotangents));
    }
}
