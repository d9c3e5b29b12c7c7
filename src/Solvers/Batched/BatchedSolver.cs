using System.Numerics;
using OdeGpu.Precision;

namespace OdeGpu.Batched;

/// <summary>
/// The batched mode: a [rows x dim] state where every Runge-Kutta stage is a kernel over the whole batch and a
/// host loop runs the adaptive steps, one step size per row (or one for all), reading back four integers per step.
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
        options ??= new SolveOptions();
        InputValidation.InitialValues(y0, dynamics.Rows, dynamics.Dimension);
        InputValidation.Times(times);
        InputValidation.Options(options, dynamics.Dimension);
        if (typeof(T) == typeof(float))
            return (Solution<T>)(object)new BatchedRun<float, Float32>((IBatchedDynamics<float>)dynamics, (float[,])(object)y0, times, options).Run();
        if (typeof(T) == typeof(double))
            return (Solution<T>)(object)new BatchedRun<double, Float64>((IBatchedDynamics<double>)dynamics, (double[,])(object)y0, times, options).Run();
        throw new NotSupportedException($"state type {typeof(T).Name} is not supported: use float or double");
    }
}
