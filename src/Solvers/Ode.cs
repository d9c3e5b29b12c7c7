using System.Numerics;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu;

/// <summary>
/// The one entry point, in the spirit of diffrax's <c>diffeqsolve</c>: a problem (dynamics, initial states, t0, t1)
/// and orthogonal options, each with a default: the method, the step-size controller, what to save
/// (<see cref="SolveOptions.SaveAt"/>), the limits, progress and cancellation, and the mode, which follows from the
/// kind of dynamics unless chosen (<see cref="SolveOptions.Mode"/>).
/// </summary>
public static class Ode
{
    /// <summary>Solves a per-trajectory system for every initial state, in the ensemble mode unless the options say batched.</summary>
    /// <param name="device">The device.</param>
    /// <param name="system">The right-hand side.</param>
    /// <param name="y0">Initial state of each trajectory.</param>
    /// <param name="parameters">[trajectories x system.ParameterCount]; null to use the fields of <paramref name="system"/>.</param>
    /// <param name="t0">Start of the span.</param>
    /// <param name="t1">End of the span (before <paramref name="t0"/> to integrate backwards).</param>
    /// <param name="options">Method, controller, what to save, limits, mode; null for the defaults.</param>
    /// <param name="ensemble">Slices, compaction and chunks of the ensemble mode; null for the defaults.</param>
    /// <returns>The saved states: one output time (t1) by default, or those of <see cref="SolveOptions.SaveAt"/>.</returns>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    public static Solution<T> Solve<T, TState, TSystem>(OdeDevice device, TSystem system, TState[] y0, T[,]? parameters, double t0, double t1,
        SolveOptions? options = null, EnsembleOptions? ensemble = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        options ??= new SolveOptions();
        var (grid, kept) = options.SaveAt.Grid(t0, t1);
        var inner = Inner(options);
        if (options.Mode != SolveMode.Batched)
            return Saved(EnsembleSolver.SolveFromEntryPoint(device, system, y0, parameters, grid, inner, ensemble), options, kept);
        if (ensemble is not null)
            throw new ArgumentException("ensemble options were given for a batched solve; leave them out or use the ensemble mode", nameof(ensemble));
        var rows = StateRows.FromStates<T, TState>(y0);
        using var dynamics = parameters is null
            ? new SystemDynamics<T, TState, TSystem>(device, system, y0.Length)
            : new SystemDynamics<T, TState, TSystem>(device, system, parameters);
        return Saved(BatchedSolver.SolveFromEntryPoint(dynamics, rows, grid, inner), options, kept);
    }

    /// <summary>Solves batch dynamics (several kernels per evaluation, an MLP say) in the batched mode.</summary>
    /// <param name="dynamics">The batch right-hand side; its device runs the solve.</param>
    /// <param name="y0">Initial values, [rows x dim].</param>
    /// <param name="t0">Start of the span.</param>
    /// <param name="t1">End of the span.</param>
    /// <param name="options">Method, controller, what to save, limits; null for the defaults.</param>
    /// <exception cref="ArgumentException">An input is malformed, or the ensemble mode was asked for; nothing has been launched.</exception>
    public static Solution<T> Solve<T>(IBatchedDynamics<T> dynamics, T[,] y0, double t0, double t1, SolveOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= new SolveOptions();
        if (options.Mode == SolveMode.Ensemble)
            throw new ArgumentException("batch dynamics run in the batched mode only; the ensemble mode needs a per-trajectory IOdeSystem", "mode");
        var (grid, kept) = options.SaveAt.Grid(t0, t1);
        return Saved(BatchedSolver.SolveFromEntryPoint(dynamics, y0, grid, Inner(options)), options, kept);
    }

    // The solvers save at the grid's times, or every step; the mode has been chosen.
    private static SolveOptions Inner(SolveOptions options) =>
        options with { SaveAt = options.SaveAt.Kind == SaveKind.Steps ? SaveAt.Steps : SaveAt.Final, Mode = SolveMode.Auto };

    // Of the grid's times, those asked for; every step when steps were saved.
    private static Solution<T> Saved<T>(Solution<T> solution, SolveOptions options, int[] kept) where T : unmanaged =>
        options.SaveAt.Kind == SaveKind.Steps ? solution : solution.SelectTimes(kept);
}
