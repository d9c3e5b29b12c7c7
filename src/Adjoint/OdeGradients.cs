using System.Numerics;
using OdeGpu.Gradients;

namespace OdeGpu.Adjoint;

/// <summary>Gradients through the one entry point: <c>Ode.Gradient</c>, the gradient method chosen by <see cref="SolveOptions.Adjoint"/>.</summary>
public static class OdeGradients
{
    extension(Ode)
    {
        /// <summary>
        /// Solves <paramref name="dynamics"/> from <paramref name="y0"/>, evaluates <paramref name="loss"/> on the states
        /// <see cref="SolveOptions.SaveAt"/> keeps, and returns its gradients with respect to the initial states, the
        /// parameters and the times, by <see cref="SolveOptions.Adjoint"/> (<see cref="ContinuousAdjoint"/> by default).
        /// </summary>
        /// <param name="dynamics">The differentiable batch right-hand side.</param>
        /// <param name="y0">Initial values, [rows, dim].</param>
        /// <param name="t0">Start of the span.</param>
        /// <param name="t1">End of the span.</param>
        /// <param name="loss">The loss of the saved states.</param>
        /// <param name="options">Method, controller, what to save (the final state or given times), limits, gradient method; null for the defaults.</param>
        /// <exception cref="ArgumentException">An input is malformed, or every step was asked to be saved; nothing has been launched.</exception>
        public static LossGradient<T> Gradient<T>(IDifferentiableDynamics<T> dynamics, T[,] y0, double t0, double t1, ILoss<T> loss, SolveOptions? options = null)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            options ??= new SolveOptions();
            if (options.SaveAt.Kind == SaveKind.Steps)
                throw new ArgumentException("a gradient needs the saved times fixed in advance: save the final state or given times, not every step", "saveAt");
            var (grid, kept) = options.SaveAt.Grid(t0, t1);
            using var solver = new AdjointSolver<T>(dynamics, options with { SaveAt = SaveAt.Final }, grid.Length);
            var saved = solver.Solve(y0, grid).SelectTimes(kept);
            var savedCotangents = new T[dynamics.Rows, kept.Length, dynamics.Dimension];
            var values = loss.Evaluate(saved, savedCotangents);
            var cotangents = new T[dynamics.Rows, grid.Length, dynamics.Dimension];
            for (var r = 0; r < dynamics.Rows; r++)
                for (var i = 0; i < kept.Length; i++)
                    for (var d = 0; d < dynamics.Dimension; d++)
                        cotangents[r, kept[i], d] = savedCotangents[r, i, d];
            return new LossGradient<T>(values, saved, solver.Backward(cotangents));
        }
    }
}
