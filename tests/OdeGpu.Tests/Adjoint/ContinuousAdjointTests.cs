using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Gradients;
using OdeGpu.Tests.Support;
using static OdeGpu.Tests.Support.RandomCotangents;

namespace OdeGpu.Tests.Adjoint;

/// <summary>
/// The continuous adjoint (<see cref="AdjointSolver{T}"/>) on dz/dt = A z + t b, whose gradients have closed forms or
/// come from finite differences of tight forward solves. The loss is L = sum over rows and output times of c . z(t_i),
/// so its cotangents are the fixed random c.
/// </summary>
public sealed class ContinuousAdjointTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[,] A = { { -0.5, 1.0 }, { -1.0, -0.3 } };
    private static readonly double[] NoDrift = [0, 0];
    private static readonly double[] Times = [0, 0.5, 1.3, 2];
    private static readonly double[,] Y0 = { { 1, 0 }, { 0.5, -1 }, { -2, 0.25 } };
    private static readonly SolveOptions Tight = new() { Controller = new PIController(1e-11, 1e-12) };

    [Fact]
    public void The_initial_state_gradient_is_the_transposed_propagator_applied_to_the_cotangents()
    {
        var c = Cotangents(Y0.GetLength(0), Times.Length, seed: 1);
        var gradient = Gradient(A, NoDrift, Y0, Times, c, Tight);

        for (var r = 0; r < Y0.GetLength(0); r++)
        {
            var expected = new double[2];
            for (var i = 0; i < Times.Length; i++)
            {
                var back = MatrixExponential.Apply(MatrixExponential.Of(MatrixExponential.Transpose(A), Times[i] - Times[0]), Row(c, r, i));
                expected[0] += back[0];
                expected[1] += back[1];
            }
            Assert.Equal(expected[0], gradient.InitialState[r, 0], 1e-8);
            Assert.Equal(expected[1], gradient.InitialState[r, 1], 1e-8);
        }
        Assert.All(gradient.Status, s => Assert.Equal(TrajectoryStatus.Success, s));
    }

    [Fact]
    public void An_output_time_gradient_is_the_cotangent_times_f_there_and_t0_gets_minus_their_sum()
    {
        var c = Cotangents(Y0.GetLength(0), Times.Length, seed: 2);
        var gradient = Gradient(A, NoDrift, Y0, Times, c, Tight);

        for (var r = 0; r < Y0.GetLength(0); r++)
        {
            var sum = 0.0;
            for (var i = 1; i < Times.Length; i++)
            {
                var z = MatrixExponential.Apply(MatrixExponential.Of(A, Times[i]), Row(Y0, r));
                var expected = Dot(Row(c, r, i), MatrixExponential.Apply(A, z));
                Assert.Equal(expected, gradient.Times[r, i], 1e-8);
                sum += expected;
            }
            // an autonomous system: a . f is conserved between output times, so dL/dt0 = -a(t0) . f(z0)
            Assert.Equal(-sum, gradient.Times[r, 0], 1e-8);
        }
    }

    // With shared steps the batch's one a_theta is spread over the rows' augmented states (two components per row here).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_parameter_gradient_matches_central_differences_of_the_closed_form(bool sharedStep)
    {
        var c = Cotangents(Y0.GetLength(0), Times.Length, seed: 3);
        var gradient = Gradient(A, NoDrift, Y0, Times, c, Tight with { SharedStep = sharedStep });

        const double h = 1e-6;
        for (var k = 0; k < 4; k++)
        {
            var (plus, minus) = ((double[,])A.Clone(), (double[,])A.Clone());
            plus[k / 2, k % 2] += h;
            minus[k / 2, k % 2] -= h;
            var expected = (ClosedFormLoss(plus, c) - ClosedFormLoss(minus, c)) / (2 * h);
            Assert.Equal(expected, gradient.SharedParameters![k], 1e-6);
        }
    }

    [Fact]
    public void A_time_dependent_term_is_differentiated_against_finite_differences_of_the_solve()
    {
        double[] b = [0.7, -0.4];
        var c = Cotangents(Y0.GetLength(0), Times.Length, seed: 4);
        var gradient = Gradient(A, b, Y0, Times, c, Tight);

        const double h = 1e-4;
        for (var k = 0; k < 2; k++)
        {
            var (plus, minus) = ((double[])b.Clone(), (double[])b.Clone());
            plus[k] += h;
            minus[k] -= h;
            var expected = (SolvedLoss(plus, Times, c) - SolvedLoss(minus, Times, c)) / (2 * h);
            Assert.Equal(expected, gradient.SharedParameters![4 + k], 1e-6);
        }
        foreach (var i in new[] { 0, Times.Length - 1 })
        {
            var (later, earlier) = ((double[])Times.Clone(), (double[])Times.Clone());
            later[i] += h;
            earlier[i] -= h;
            var expected = (SolvedLoss(b, later, c) - SolvedLoss(b, earlier, c)) / (2 * h);
            Assert.Equal(expected, Enumerable.Range(0, Y0.GetLength(0)).Sum(r => gradient.Times[r, i]), 1e-6);
        }
    }

    [Fact]
    public void Shared_parameters_have_one_gradient_the_row_order_sum_of_each_rows_alone()
    {
        var c = Cotangents(Y0.GetLength(0), Times.Length, seed: 5);
        var gradient = Gradient(A, [0.7, -0.4], Y0, Times, c, new SolveOptions());
        var alone = Enumerable.Range(0, Y0.GetLength(0)).Select(r => Gradient(A, [0.7, -0.4], RowOf(Y0, r), Times, RowOf(c, r), new SolveOptions())).ToArray();

        Assert.Equal(0, gradient.Parameters.GetLength(1));
        for (var p = 0; p < 6; p++)
        {
            var sum = 0.0;
            foreach (var row in alone)
                sum += row.SharedParameters![p];
            Assert.Equal(sum, gradient.SharedParameters![p]);
        }
    }

    private static double[,] RowOf(double[,] values, int row) => new[,] { { values[row, 0], values[row, 1] } };

    private static double[,,] RowOf(double[,,] values, int row)
    {
        var slice = new double[1, values.GetLength(1), values.GetLength(2)];
        for (var i = 0; i < values.GetLength(1); i++)
            for (var d = 0; d < values.GetLength(2); d++)
                slice[0, i, d] = values[row, i, d];
        return slice;
    }

    [Fact]
    public void Repeated_gradients_are_bit_identical_and_allocate_nothing_on_the_device()
    {
        var c = Cotangents(Y0.GetLength(0), Times.Length, seed: 6);
        using var dynamics = new LinearDynamics(cpu.Device, A, [0.7, -0.4], Y0.GetLength(0));
        using var solver = new AdjointSolver<double>(dynamics, new SolveOptions(), maxOutputTimes: 8);
        var first = solver.Gradient(Y0, Times, c);
        var allocations = cpu.Device.Allocations;
        using var cotangents = cpu.Device.Upload(c.Cast<double>().ToArray());
        using var y0 = cpu.Device.Upload(Y0.Cast<double>().ToArray());

        for (var k = 0; k < 3; k++)
        {
            solver.ForwardOnDevice(y0.View, Times);
            solver.BackwardOnDevice(cotangents.View);
        }
        var again = solver.Download();

        Assert.Equal(allocations + 2, cpu.Device.Allocations); // the two buffers above, nothing in the solver
        Assert.Equal(first.InitialState, again.InitialState);
        Assert.Equal(first.SharedParameters, again.SharedParameters);
        Assert.Equal(first.Times, again.Times);
    }

    [Fact]
    public void Memory_does_not_grow_with_the_number_of_steps()
    {
        using var dynamics = new LinearDynamics(cpu.Device, A, NoDrift, Y0.GetLength(0));
        using var solver = new AdjointSolver<double>(dynamics, Tight, maxOutputTimes: 2);
        var shortSpan = solver.Gradient(Y0, [0, 1], Cotangents(3, 2, seed: 7));
        var allocations = cpu.Device.Allocations;

        var longSpan = solver.Gradient(Y0, [0, 100], Cotangents(3, 2, seed: 7));

        Assert.True(longSpan.Backward.TotalAccepted > 30 * shortSpan.Backward.TotalAccepted,
            $"{longSpan.Backward.TotalAccepted} backward steps against {shortSpan.Backward.TotalAccepted}");
        Assert.Equal(allocations, cpu.Device.Allocations);
    }

    [Fact]
    public void The_seminorm_takes_fewer_backward_evaluations_for_the_same_gradient()
    {
        var c = Cotangents(Y0.GetLength(0), Times.Length, seed: 8);
        var options = new SolveOptions { Controller = new PIController(1e-7, 1e-9) };
        var full = Gradient(A, [0.7, -0.4], Y0, Times, c, options);
        var semi = Gradient(A, [0.7, -0.4], Y0, Times, c, options with { Adjoint = new ContinuousAdjoint { Seminorm = true } });

        Assert.True(semi.Backward.TotalEvaluations < full.Backward.TotalEvaluations,
            $"{semi.Backward.TotalEvaluations} evaluations with the seminorm against {full.Backward.TotalEvaluations}");
        for (var p = 0; p < 6; p++)
            Assert.Equal(full.SharedParameters![p], semi.SharedParameters![p], 1e-4);
    }

    [Fact]
    public void The_adjoint_may_use_its_own_method_and_tolerances()
    {
        var c = Cotangents(Y0.GetLength(0), Times.Length, seed: 9);
        var loose = Gradient(A, NoDrift, Y0, Times, c, Tight with
        {
            Adjoint = new ContinuousAdjoint { Method = Tableaux.Methods.Bosh3, Controller = new PIController(1e-4, 1e-6) },
        });
        var tight = Gradient(A, NoDrift, Y0, Times, c, Tight);

        Assert.True(loose.Backward.TotalEvaluations < tight.Backward.TotalEvaluations / 3);
        Assert.Equal(tight.InitialState[0, 0], loose.InitialState[0, 0], 1e-3);
    }

    [Fact]
    public void Cotangents_of_the_wrong_shape_and_a_backward_solve_before_a_forward_one_are_refused()
    {
        using var dynamics = new LinearDynamics(cpu.Device, A, NoDrift, Y0.GetLength(0));
        using var solver = new AdjointSolver<double>(dynamics, maxOutputTimes: 4);
        using var cotangents = cpu.Device.Allocate<double>(3 * 4 * 2);

        Assert.Contains("ForwardOnDevice first", Assert.Throws<InvalidOperationException>(() => solver.BackwardOnDevice(cotangents.View)).Message);
        var error = Assert.Throws<ArgumentException>(() => solver.Gradient(Y0, Times, new double[3, 3, 2]));
        Assert.Equal("cotangents", error.ParamName);
        Assert.Contains("[3, 4, 2] (rows, times, dim)", error.Message);
    }

    private SolveGradient<double> Gradient(double[,] a, double[] b, double[,] y0, double[] times, double[,,] c, SolveOptions options)
    {
        using var dynamics = new LinearDynamics(cpu.Device, a, b, y0.GetLength(0));
        using var solver = new AdjointSolver<double>(dynamics, options, times.Length);
        return solver.Gradient(y0, times, c);
    }

    private double SolvedLoss(double[] b, double[] times, double[,,] c)
    {
        using var dynamics = new LinearDynamics(cpu.Device, A, b, Y0.GetLength(0));
        var solution = Ode.Solve(dynamics, Y0, times[0], times[^1], Tight with { SaveAt = SaveAt.Times(times) });
        var loss = 0.0;
        for (var r = 0; r < Y0.GetLength(0); r++)
            for (var i = 0; i < times.Length; i++)
                loss += Dot(Row(c, r, i), solution.State(r, i));
        return loss;
    }

    private static double ClosedFormLoss(double[,] a, double[,,] c)
    {
        var loss = 0.0;
        for (var r = 0; r < Y0.GetLength(0); r++)
            for (var i = 0; i < Times.Length; i++)
                loss += Dot(Row(c, r, i), MatrixExponential.Apply(MatrixExponential.Of(a, Times[i]), Row(Y0, r)));
        return loss;
    }

    private static double[,,] Cotangents(int rows, int times, int seed) => RandomCotangents.Of(rows, times, 2, seed);
}
