using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.Ensemble.Adjoint;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Adjoint;

/// <summary>
/// The fused continuous adjoint's backward solve: every trajectory's [z, a, a_p, a_t] from its last output time to its
/// first in the ensemble kernel, with <see cref="AdjointOutputAction{T, TState, TParams}"/> at the output times. It runs
/// chunk by chunk so that the action's views hold exactly the trajectories of one launch; its memory per chunk is the
/// forward outputs and the cotangents, whatever the number of steps.
/// </summary>
internal static class FusedBackward
{
    /// <summary>
    /// The backward solution, [trajectories, times (last forward first), 2D + P + 1]. Trajectories whose forward solve
    /// failed run from zeros (their gradients are the caller's to discard).
    /// </summary>
    public static Solution<T> Solve<T, TState, TParams, TAdjoint>(OdeDevice device, TAdjoint system, Solution<T> forward, T[,] parameters,
        double[] times, T[,,] cotangents, SolveOptions options, EnsembleOptions ensemble)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TParams : unmanaged, IStateVector<TParams, T>
        where TAdjoint : struct, IOdeSystem<T, AdjointState<T, TState, TParams>>
    {
        var rows = forward.Rows;
        // Per trajectory the outputs (times x width) and the forward states and cotangents (2 x times x dim) stay under 3 x times x width.
        var chunkSize = ensemble.ChunkSize ?? ChunkBudget.Trajectories(device.Accelerator.MemorySize, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), AdjointState<T, TState, TParams>.Dimension, parameters.GetLength(1), 3 * times.Length, true, rows);
        var backward = times.Reverse().ToArray();
        var chunks = new List<Solution<T>>();
        for (var first = 0; first < rows; first += chunkSize)
        {
            var count = Math.Min(chunkSize, rows - first);
            var rowsOf = Enumerable.Range(first, count).ToArray();
            using var states = device.Upload(Layout(rowsOf, forward, (r, j, d) => forward[r, j, d], times.Length, TState.Dimension));
            using var adjoints = device.Upload(Layout(rowsOf, forward, (r, j, d) => cotangents[r, j, d], times.Length, TState.Dimension));
            var action = new AdjointOutputAction<T, TState, TParams> { Forward = states.View, Cotangents = adjoints.View, Count = count, Last = times.Length - 1 };
            var start = rowsOf.Select(r => Start<T, TState, TParams>(forward, cotangents, r)).ToArray();
            chunks.Add(EnsembleSolver.Solve(device, system, start, ArrayRows.Select(parameters, rowsOf), backward, action, options, ensemble with { ChunkSize = count }));
        }
        return Solution<T>.Concatenate(chunks);
    }

    // [z(t_N), dL/dz(t_N), 0, 0]: the output times' jumps of a_t are the host's. Zeros where the forward solve failed.
    private static AdjointState<T, TState, TParams> Start<T, TState, TParams>(Solution<T> forward, T[,,] cotangents, int row)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TParams : unmanaged, IStateVector<TParams, T>
    {
        if (forward.Status[row] != TrajectoryStatus.Success)
            return default;
        var last = forward.Times.Length - 1;
        var z = new T[TState.Dimension];
        var a = new T[TState.Dimension];
        for (var d = 0; d < z.Length; d++)
            (z[d], a[d]) = (forward[row, last, d], cotangents[row, last, d]);
        return new(TState.FromComponents(z), TState.FromComponents(a), default, T.Zero);
    }

    // The kernel's [time][dim][trajectory] layout of the given rows; zeros where the forward solve failed.
    private static T[] Layout<T>(int[] rows, Solution<T> forward, Func<int, int, int, T> value, int times, int dimension)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ComponentMajor.Layout(rows.Length, times, dimension,
            (i, j, d) => forward.Status[rows[i]] == TrajectoryStatus.Success ? value(rows[i], j, d) : T.Zero);
}
