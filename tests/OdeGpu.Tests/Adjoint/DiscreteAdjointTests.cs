using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Gradients;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;
using static OdeGpu.Tests.Support.RandomCotangents;

namespace OdeGpu.Tests.Adjoint;

/// <summary>
/// The discrete adjoint gives the gradient of what was computed: it matches central differences of the same solve
/// with its accepted steps frozen (<see cref="StepReplay"/>), for every method, with outputs inside steps and at their
/// ends. The loss is L = sum over output times of c . z(t_i) on dz/dt = A z + t b.
/// </summary>
public sealed class DiscreteAdjointTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[,] A = { { -0.5, 1.0 }, { -1.0, -0.3 } };
    private static readonly double[] B = [0.7, -0.4];
    private static readonly double[] Times = [0, 0.37, 1.1, 2];
    private static readonly double[,] Y0 = { { 1, 0 }, { 0.5, -1 }, { -2, 0.25 } };

    public static TheoryData<string, double> Methods => new()
    {
        { "dopri5", 0 }, { "tsit5", 0 }, { "dopri8", 0 }, { "bosh3", 0 }, { "rk4", 0.15 }, { "euler", 0.05 }, { "midpoint", 0.1 },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void The_gradient_is_that_of_the_solve_with_its_steps_frozen(string method, double dt)
    {
        var m = Tableaux.Methods.Parse(method);
        var options = new SolveOptions
        {
            Method = m,
            Controller = dt > 0 ? new FixedStep(dt) : new PIController(1e-5, 1e-7),
            Adjoint = new DiscreteAdjoint(),
        };
        var c = Cotangents(seed: 11);
        var gradient = Gradient(options, c);
        var steps = StepTimes(options);
        var parameters = new double[6];

        for (var r = 0; r < Y0.GetLength(0); r++)
        {
            var row = r;
            double Loss(double[,] a, double[] b, double[] y0, double[] stepTimes, double[] times) =>
                Enumerable.Range(0, times.Length).Sum(i => Dot(Row(c, row, i), StepReplay.Outputs(m, Linear(a, b), y0, stepTimes, times)[i]));
            var y0 = new[] { Y0[r, 0], Y0[r, 1] };
            for (var d = 0; d < 2; d++)
                AssertClose(Central(h => Loss(A, B, Shift(y0, d, h), steps[r], Times)), gradient.InitialState[r, d]);
            for (var p = 0; p < 4; p++)
                parameters[p] += Central(h => Loss(Shift(A, p, h), B, y0, steps[r], Times));
            for (var p = 0; p < 2; p++)
                parameters[4 + p] += Central(h => Loss(A, Shift(B, p, h), y0, steps[r], Times));
            foreach (var i in new[] { 1, 2 }.Where(i => !steps[r].Contains(Times[i])))
                AssertClose(Central(h => Loss(A, B, y0, steps[r], Shift(Times, i, h))), gradient.Times[r, i]);
            // t0 moves every step node with it, the outputs staying where they are
            AssertClose(Central(h => Loss(A, B, y0, [.. steps[r].Select(t => t + h)], [Times[0] + h, .. Times[1..]])), gradient.Times[r, 0]);
        }
        // the parameters are shared: their gradient is the batch's, each row's loss moving with them
        for (var p = 0; p < 6; p++)
            AssertClose(parameters[p], gradient.SharedParameters![p]);
    }

    [Fact]
    public void The_continuous_adjoint_converges_to_the_discrete_one_as_the_tolerances_tighten()
    {
        var c = Cotangents(seed: 12);
        var differences = new List<double>();
        foreach (var rtol in new[] { 1e-4, 1e-6, 1e-8 })
        {
            var controller = new PIController(rtol, rtol * 1e-2);
            var discrete = Gradient(new SolveOptions { Controller = controller, Adjoint = new DiscreteAdjoint() }, c);
            var continuous = Gradient(new SolveOptions { Controller = controller }, c);
            differences.Add(Enumerable.Range(0, 6).Max(p => Math.Abs(discrete.SharedParameters![p] - continuous.SharedParameters![p])));
        }

        Assert.True(differences[1] < differences[0] / 10 && differences[2] < differences[1] / 10, string.Join(", ", differences));
        Assert.True(differences[2] < 1e-6, string.Join(", ", differences));
    }

    [Fact]
    public void Its_step_record_grows_with_the_steps_and_is_reused_once_large_enough()
    {
        using var dynamics = new LinearDynamics(cpu.Device, A, B, Y0.GetLength(0));
        using var solver = new AdjointSolver<double>(dynamics, new SolveOptions { Adjoint = new DiscreteAdjoint() }, maxOutputTimes: 2);
        var c = new double[3, 2, 2];
        c[0, 1, 0] = 1;
        var shortSpan = solver.Gradient(Y0, [0, 1], c);
        var allocations = cpu.Device.Allocations;

        var longSpan = solver.Gradient(Y0, [0, 200], c);
        var grown = cpu.Device.Allocations;
        solver.Gradient(Y0, [0, 200], c);

        Assert.True(longSpan.Forward.Statistics.AcceptedSteps.Max() > 64, "the long span must outgrow the first record");
        var outcome = solver.Outcome();
        Assert.Equal(longSpan.Status, outcome.Status);
        Assert.Equal(longSpan.Backward.Evaluations, outcome.Statistics.Evaluations);
        Assert.All(longSpan.Status, s => Assert.Equal(TrajectoryStatus.Success, s));
        Assert.True(grown > allocations, "a longer solve needs a larger record");
        Assert.Equal(grown, cpu.Device.Allocations);
        Assert.Equal(shortSpan.Forward.Statistics.AcceptedSteps.Sum(), shortSpan.Backward.AcceptedSteps.Sum());
    }

    private SolveGradient<double> Gradient(SolveOptions options, double[,,] c)
    {
        using var dynamics = new LinearDynamics(cpu.Device, A, B, Y0.GetLength(0));
        using var solver = new AdjointSolver<double>(dynamics, options, Times.Length);
        return solver.Gradient(Y0, Times, c);
    }

    // The accepted step times of each row, from the same solve saving every step.
    private double[][] StepTimes(SolveOptions options)
    {
        using var dynamics = new LinearDynamics(cpu.Device, A, B, Y0.GetLength(0));
        var solution = Ode.Solve(dynamics, Y0, Times[0], Times[^1], options with { SaveAt = SaveAt.Steps });
        return [.. Enumerable.Range(0, Y0.GetLength(0)).Select(r =>
            Enumerable.Range(0, solution.Times.Length).Select(i => solution.Time(r, i)).TakeWhile(t => !double.IsNaN(t)).ToArray())];
    }

    private static Func<double, double[], double[]> Linear(double[,] a, double[] b) =>
        (t, z) => [a[0, 0] * z[0] + a[0, 1] * z[1] + t * b[0], a[1, 0] * z[0] + a[1, 1] * z[1] + t * b[1]];

    private static double Central(Func<double, double> loss, double h = 1e-6) => (loss(h) - loss(-h)) / (2 * h);

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    private static double[] Shift(double[] values, int k, double h)
    {
        var shifted = (double[])values.Clone();
        shifted[k] += h;
        return shifted;
    }

    private static double[,] Shift(double[,] a, int k, double h)
    {
        var shifted = (double[,])a.Clone();
        shifted[k / 2, k % 2] += h;
        return shifted;
    }

    private static double[,,] Cotangents(int seed) => RandomCotangents.Of(Y0.GetLength(0), Times.Length, 2, seed);
}
