using System.Numerics;
using OdeGpu.Device;
using OdeGpu.State;
using OdeGpu.Control;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble;

/// <summary>
/// The ensemble mode: one fused kernel integrates every trajectory of a small system, one thread each, with its own
/// step size, controller, dense output and status; the host relaunches it in slices, compacting the trajectories
/// still running, and splits ensembles too large for the device into chunks.
/// </summary>
public static class EnsembleSolver
{
    /// <summary>Solves every trajectory over the shared output times <paramref name="times"/> (first t0, last t1).</summary>
    /// <param name="device">The device.</param>
    /// <param name="system">The right-hand side.</param>
    /// <param name="y0">Initial state of each trajectory.</param>
    /// <param name="parameters">[trajectories x system.ParameterCount]; null to use the fields of <paramref name="system"/> for every trajectory.</param>
    /// <param name="times">Output times, strictly monotonic.</param>
    /// <param name="options">Method, controller, limits; null for the defaults.</param>
    /// <param name="ensemble">Slices, compaction and chunks; null for the defaults.</param>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    public static Solution<T> Solve<T, TState, TSystem>(OdeDevice device, TSystem system, TState[] y0, T[,]? parameters, double[] times,
        SolveOptions? options = null, EnsembleOptions? ensemble = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        InputValidation.Times(times);
        return Solution<T>.Concatenate(Run(device, system, default(NoOutputAction<T, TState>), y0, parameters, new TimeGrid(times, null), options, ensemble));
    }

    /// <summary>
    /// Solves every trajectory over the shared output times, running <paramref name="action"/> in the kernel each time a
    /// trajectory reaches one of them: its steps end exactly there, and the state the action returns is the one the
    /// solve goes on from (the outputs hold the state before the action).
    /// </summary>
    /// <exception cref="ArgumentException">An input is malformed, or the controller takes fixed steps; nothing has been launched.</exception>
    public static Solution<T> Solve<T, TState, TSystem, TAction>(OdeDevice device, TSystem system, TState[] y0, T[,]? parameters, double[] times,
        TAction action, SolveOptions? options = null, EnsembleOptions? ensemble = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TAction : struct, IOutputAction<T, TState>
    {
        InputValidation.Times(times);
        return Solution<T>.Concatenate(Run(device, system, action, y0, parameters, new TimeGrid(times, null), options, ensemble));
    }

    /// <summary>Solves each trajectory over its own output times: row i of <paramref name="times"/> (its t0 first, its t1 last).</summary>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    public static Solution<T> Solve<T, TState, TSystem>(OdeDevice device, TSystem system, TState[] y0, T[,]? parameters, double[,] times,
        SolveOptions? options = null, EnsembleOptions? ensemble = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var grid = TimeGrid.ForTrajectories(times, y0.Length);
        return Solution<T>.Concatenate(Run(device, system, default(NoOutputAction<T, TState>), y0, parameters, grid, options, ensemble));
    }

    /// <summary>
    /// Solves chunk by chunk, lazily: each chunk's solution is computed when the enumeration reaches it, so ensembles
    /// larger than memory can be streamed to a file (<see cref="Solution{T}.FirstRow"/> says where a chunk starts).
    /// </summary>
    /// <exception cref="ArgumentException">An input is malformed (thrown before the first chunk is launched).</exception>
    public static IEnumerable<Solution<T>> Chunks<T, TState, TSystem>(OdeDevice device, TSystem system, TState[] y0, T[,]? parameters, double[] times,
        SolveOptions? options = null, EnsembleOptions? ensemble = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        InputValidation.Times(times);
        return Run(device, system, default(NoOutputAction<T, TState>), y0, parameters, new TimeGrid(times, null), options, ensemble);
    }

    /// <summary><see cref="Ode.Solve{T, TState, TSystem}"/>'s way in: its options may say what to save.</summary>
    internal static Solution<T> SolveFromEntryPoint<T, TState, TSystem>(OdeDevice device, TSystem system, TState[] y0, T[,]? parameters,
        double[] grid, SolveOptions options, EnsembleOptions? ensemble)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState> =>
        Solution<T>.Concatenate(Run(device, system, default(NoOutputAction<T, TState>), y0, parameters, new TimeGrid(grid, null), options, ensemble, fromEntryPoint: true));

    /// <summary>
    /// Solves over the shared output times and records every accepted step beside the outputs, in a buffer of
    /// <see cref="SolveOptions.MaxSteps"/> + 1 slots per trajectory that <paramref name="hook"/> sees on the device
    /// after each chunk. Chunks are sized for the record and for the hook's own per-trajectory buffers of
    /// <paramref name="hookSlots"/> states.
    /// </summary>
    internal static Solution<T> Record<T, TState, TSystem, TAction>(OdeDevice device, TSystem system, TAction action, TState[] y0, T[,]? parameters,
        double[] times, SolveOptions options, EnsembleOptions ensemble, IEnsembleRecordHook<T> hook, int hookSlots)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TAction : struct, IOutputAction<T, TState>
    {
        InputValidation.Times(times);
        var grid = new TimeGrid(times, null);
        var chunkSize = ensemble.ChunkSize ?? ChunkBudget.Trajectories(device.Accelerator.MemorySize, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), TState.Dimension, parameters?.GetLength(1) ?? 0,
            times.Length + options.MaxSteps + 1 + hookSlots, true, y0.Length);
        return Solution<T>.Concatenate(Run(device, system, action, y0, parameters, grid, options, ensemble with { ChunkSize = chunkSize }, record: hook));
    }

    private static IEnumerable<Solution<T>> Run<T, TState, TSystem, TAction>(OdeDevice device, TSystem system, TAction action, TState[] y0,
        T[,]? parameters, TimeGrid times, SolveOptions? options, EnsembleOptions? ensemble, bool fromEntryPoint = false,
        IEnsembleRecordHook<T>? record = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
        where TAction : struct, IOutputAction<T, TState>
    {
        options ??= new SolveOptions();
        ensemble ??= new EnsembleOptions();
        if (!fromEntryPoint)
            InputValidation.TimesGiven(options);
        Validate(system, y0, parameters, options, ensemble);
        var stepper = FusedSteppers.Of(options.Method);
        var chunkSize = ensemble.ChunkSize ?? ChunkSize<T>(device, TState.Dimension, parameters?.GetLength(1) ?? 0, times, options, y0.Length);
        if (TAction.StopsAtOutputs && options.Controller is FixedStep)
            throw new ArgumentException(
                "an output action needs an adaptive controller in the ensemble mode (its steps end on the output times); use the batched mode's hook for fixed steps",
                nameof(action));
        return EnsembleRun<T, TState, TSystem, TAction>.Chunks(device, system, action, y0, parameters, times, options, ensemble, stepper, chunkSize, record);
    }

    private static void Validate<T, TState, TSystem>(TSystem system, TState[] y0, T[,]? parameters, SolveOptions options, EnsembleOptions ensemble)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        if (y0.Length < 1)
            throw new ArgumentException("y0 must hold at least one trajectory", nameof(y0));
        for (var i = 0; i < y0.Length; i++)
            if (!TState.IsFinite(y0[i]))
                throw new ArgumentException($"y0[{i}] is not finite: initial values must be finite", nameof(y0));
        if (parameters is not null)
            InputValidation.Parameters(parameters, y0.Length, system.ParameterCount);
        InputValidation.Options(options, TState.Dimension);
        if (ensemble.SliceSteps < 1)
            throw new ArgumentException($"slice steps must be at least 1, but was {ensemble.SliceSteps}", "sliceSteps");
        if (ensemble.ChunkSize is < 1)
            throw new ArgumentException($"chunk size must be at least 1, but was {ensemble.ChunkSize}", "chunkSize");
    }

    // The device buffers of a chunk fit half the device memory and its host arrays half the available host memory.
    private static int ChunkSize<T>(OdeDevice device, int dim, int parameters, TimeGrid times, SolveOptions options, int count) where T : unmanaged
    {
        var steps = options.SaveAt.Kind == SaveKind.Steps;
        return ChunkBudget.Trajectories(device.Accelerator.MemorySize, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), dim, parameters, steps ? options.MaxSteps + 1 : times.Count, times.Shared && !steps, count);
    }
}
