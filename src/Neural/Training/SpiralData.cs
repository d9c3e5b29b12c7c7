using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Tableaux;

namespace OdeGpu.Neural.Training;

/// <summary>
/// The data of torchdiffeq's ode_demo (BENCHMARKS.md's N1): the true spiral dy/dt = y^3 A with A = [[-0.1, 2], [-2, -0.1]]
/// from y0 = [2, 0], at 1000 times evenly over [0, 25], solved by Dopri5 at rtol 1e-10 in float64; batches of windows of
/// consecutive points as the demo draws them.
/// </summary>
public sealed class SpiralData
{
    /// <summary>The demo's matrix A, row-major.</summary>
    public static readonly double[] A = [-0.1, 2.0, -2.0, -0.1];

    private SpiralData(double[] times, double[,] states) => (Times, States) = (times, states);

    /// <summary>The 1000 times.</summary>
    public double[] Times { get; }

    /// <summary>The true states at <see cref="Times"/>, [1000, 2].</summary>
    public double[,] States { get; }

    /// <summary>Solves the true spiral on <paramref name="device"/>.</summary>
    public static SpiralData Generate(OdeDevice device)
    {
        var times = Enumerable.Range(0, 1000).Select(k => 25.0 * k / 999).ToArray();
        // y^3 A is a bias-free linear layer on the cubed state, its weight A transposed
        double[] parameters = [A[0], A[2], A[1], A[3], 0, 0];
        using var linear = new MlpDynamics<double, Identity>(device, 1, [2, 2], parameters);
        using var truth = new CubedInput<double>(linear);
        var solution = Ode.Solve(truth, new double[,] { { 2, 0 } }, 0, 25,
            new SolveOptions { Method = Methods.Dopri5, Controller = new PIController(1e-10, 1e-12), SaveAt = SaveAt.Times(times) });
        var states = new double[times.Length, 2];
        for (var i = 0; i < times.Length; i++)
            for (var d = 0; d < 2; d++)
                states[i, d] = solution[0, i, d];
        return new SpiralData(times, states);
    }

    /// <summary>
    /// A batch as the demo draws it: <paramref name="size"/> distinct window starts uniform over the first 1000 -
    /// <paramref name="length"/> points; returns their first states [size, 2], the window's times from 0 ([length]) and
    /// the true states along each window [size, length, 2].
    /// </summary>
    public (double[,] Y0, double[] Times, double[,,] Targets) Batch(Random random, int size = 20, int length = 10)
    {
        var starts = Enumerable.Range(0, Times.Length - length).ToArray();
        random.Shuffle(starts);
        var y0 = new double[size, 2];
        var targets = new double[size, length, 2];
        for (var m = 0; m < size; m++)
            for (var i = 0; i < length; i++)
                for (var d = 0; d < 2; d++)
                {
                    targets[m, i, d] = States[starts[m] + i, d];
                    if (i == 0)
                        y0[m, d] = States[starts[m], d];
                }
        return (y0, Times[..length], targets);
    }
}
