using System.Numerics;

namespace OdeGpu.Batched;

/// <summary>
/// The batched mode: a [rows x dim] state where every Runge-Kutta stage is a kernel over the whole batch and a
/// host loop runs the adaptive steps, one step size per row (or one for all), reading back five integers per step.
/// A one-off solve; <see cref="BatchedSolver{T}"/> is the reusable solver behind it.
/// </summary>
public static class BatchedSolver
{
    /// <summary>Solves dy/dt = f(t, y) for every row from times[0] to times[^1], with output at every time in <paramref name="times"/>.</summary>
    /// <param name="dynamics">The batch right-hand side; its device runs the solve.</param>
    /// <param name="y0">Initial values, [rows x dim].</param>
    /// <param name="times">Output times, strictly increasing or strictly decreasing; the first is t0, the last t1.</param>
    /// <param name="options">Method, controller, limits; null for the defaults.</param>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static Solution<T> Solve<T>(IBatchedDynamics<T> dynamics, T[,] y0, double[] times, SolveOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var solver = new BatchedSolver<T>(dynamics, options, Math.Max(2, times.Length));
        return solver.Solve(y0, times);
    }

    /// <summary><see cref="Ode.Solve{T}"/>'s way in: its options may say what to save.</summary>
    internal static Solution<T> SolveFromEntryPoint<T>(IBatchedDynamics<T> dynamics, T[,] y0, double[] grid, SolveOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var solver = new BatchedSolver<T>(dynamics, options, grid.Length, fromEntryPoint: true);
        return solver.Solve(y0, grid);
    }
}
