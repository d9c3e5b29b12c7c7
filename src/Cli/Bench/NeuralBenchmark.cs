using System.Diagnostics;
using OdeGpu.Adjoint;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Gradients;
using OdeGpu.Neural;
using OdeGpu.Tableaux;

namespace OdeGpu.Cli.Bench;

/// <summary>
/// One measured row of <c>odegpu bench neural</c>: the best wall time of the repeats, and the evaluations per row
/// (forward, and backward: the VJPs and the evaluations of the backward pass).
/// </summary>
internal sealed record NeuralBenchRow(
    int Batch, string Method, string Adjoint, bool Seminorm, string Precision, double Seconds, double NfeForward, double NfeBackward,
    double SecondsPerEvaluation, int Repeats);

/// <summary>
/// N2 of BENCHMARKS.md, warm: an MLP 4-32-32-4 with softplus (PyTorch's initialization, seed 0), float32, from standard
/// normal initial states (seed 0), t in [0, 10], rtol = atol = 1e-6 with the integral controller and one step size for
/// the batch (torchdiffeq's dopri5 controls its steps so), loss = sum of squares of y(10). Each configuration's solver
/// is built and run once, then timed over the repeats; the forward-only rows use the plain batched solver.
/// </summary>
internal sealed class NeuralBenchmark(OdeDevice device, int repeats, TextWriter log)
{
    private static readonly int[] Widths = [4, 32, 32, 4];
    private static readonly double[] Times = [0, 10];

    /// <summary>The gradient methods a row may measure: the forward solve alone, and the two adjoints.</summary>
    public static readonly string[] Adjoints = ["none", "discrete", "continuous"];

    /// <summary>The rows of one batch size and method: each gradient method, the continuous adjoint with the seminorm off and on.</summary>
    public IEnumerable<NeuralBenchRow> Run(int batch, ButcherTableau method, IEnumerable<string> adjoints)
    {
        using var mlp = new MlpDynamics<float, Softplus>(device, batch, Widths, MlpDynamics<float, Softplus>.InitialParameters(Widths, seed: 0));
        var y0 = InitialStates(batch);
        var options = new SolveOptions { Method = method, Controller = new IntegralController(1e-6, 1e-6), SharedStep = true };
        foreach (var adjoint in adjoints)
        {
            if (adjoint == "none")
                yield return Measure(batch, method, adjoint, false, () => Forward(mlp, y0, options));
            else if (adjoint == "discrete")
                yield return Gradient(mlp, y0, options with { Adjoint = new DiscreteAdjoint() }, batch, method, adjoint, false);
            else
                foreach (var seminorm in new[] { false, true })
                    yield return Gradient(mlp, y0, options with { Adjoint = new ContinuousAdjoint { Seminorm = seminorm } }, batch, method, adjoint, seminorm);
        }
    }

    private NeuralBenchRow Gradient(MlpDynamics<float, Softplus> mlp, float[,] y0, SolveOptions options, int batch, ButcherTableau method, string adjoint, bool seminorm)
    {
        using var solver = new AdjointSolver<float>(mlp, options, Times.Length);
        return Measure(batch, method, adjoint, seminorm, () =>
        {
            var solution = solver.Solve(y0, Times);
            var cotangents = new float[batch, Times.Length, mlp.Dimension];
            for (var r = 0; r < batch; r++)
                for (var d = 0; d < mlp.Dimension; d++)
                    cotangents[r, 1, d] = 2 * solution[r, 1, d];
            var gradient = solver.Backward(cotangents);
            return (solution.Statistics.Evaluations.Average(), gradient.Backward.Evaluations.Average());
        });
    }

    private static (double Forward, double Backward) Forward(MlpDynamics<float, Softplus> mlp, float[,] y0, SolveOptions options)
    {
        using var solver = new BatchedSolver<float>(mlp, options, Times.Length);
        return (solver.Solve(y0, Times).Statistics.Evaluations.Average(), 0);
    }

    // One run to compile and allocate, then the best of the repeats.
    private NeuralBenchRow Measure(int batch, ButcherTableau method, string adjoint, bool seminorm, Func<(double Forward, double Backward)> run)
    {
        log.WriteLine($"N2: batch {batch}, {method.Name}, {adjoint}{(seminorm ? " with the seminorm" : "")}: {repeats} repeats after a warm-up");
        var evaluations = run();
        var best = double.MaxValue;
        for (var k = 0; k < repeats; k++)
        {
            var clock = Stopwatch.StartNew();
            evaluations = run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return new NeuralBenchRow(batch, method.Name, adjoint, seminorm, "float32", best, evaluations.Forward, evaluations.Backward,
            best / (evaluations.Forward + evaluations.Backward), repeats);
    }

    // Standard normal states from a seeded generator.
    private static float[,] InitialStates(int batch)
    {
        var random = new Random(0);
        var y0 = new float[batch, Widths[0]];
        for (var r = 0; r < batch; r++)
            for (var d = 0; d < Widths[0]; d++)
                y0[r, d] = (float)Gaussian.Next(random);
        return y0;
    }
}
