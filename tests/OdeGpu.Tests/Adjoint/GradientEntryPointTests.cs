using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Gradients;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Adjoint;

/// <summary><c>Ode.Gradient</c>: a loss of the saved states and its gradients through the one entry point.</summary>
public sealed class GradientEntryPointTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[,] A = { { -0.5, 1.0 }, { -1.0, -0.3 } };
    private static readonly double[,] Y0 = { { 1, 0 }, { 0.5, -1 } };
    private static readonly double[] Saved = [0.5, 2];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_sum_of_squares_at_saved_times_has_the_closed_form_gradient(bool discrete)
    {
        using var dynamics = new LinearDynamics(cpu.Device, A, [0, 0], Y0.GetLength(0));
        var options = new SolveOptions
        {
            Controller = new PIController(1e-10, 1e-12),
            SaveAt = SaveAt.Times(Saved),
            Adjoint = discrete ? new DiscreteAdjoint() : new ContinuousAdjoint(),
        };

        var result = Ode.Gradient(dynamics, Y0, 0, 3, new SumOfSquares<double>(), options);

        Assert.Equal(Saved, result.Saved.Times);
        for (var r = 0; r < Y0.GetLength(0); r++)
        {
            var (loss, gradient) = (0.0, new double[2]);
            foreach (var t in Saved)
            {
                var z = MatrixExponential.Apply(MatrixExponential.Of(A, t), [Y0[r, 0], Y0[r, 1]]);
                loss += z[0] * z[0] + z[1] * z[1];
                var back = MatrixExponential.Apply(MatrixExponential.Of(MatrixExponential.Transpose(A), t), [2 * z[0], 2 * z[1]]);
                gradient[0] += back[0];
                gradient[1] += back[1];
            }
            Assert.Equal(loss, result.Loss[r], 1e-8);
            Assert.Equal(gradient[0], result.Gradient.InitialState[r, 0], 1e-7);
            Assert.Equal(gradient[1], result.Gradient.InitialState[r, 1], 1e-7);
            // nothing is saved at t1 = 3, so moving it changes nothing
            Assert.Equal(0, result.Gradient.Times[r, result.Gradient.Times.GetLength(1) - 1], 1e-12);
        }
    }

    [Fact]
    public void Saving_every_step_is_refused_because_a_gradient_needs_its_times_in_advance()
    {
        using var dynamics = new LinearDynamics(cpu.Device, A, [0, 0], 2);

        var error = Assert.Throws<ArgumentException>(() =>
            Ode.Gradient(dynamics, Y0, 0, 1, new SumOfSquares<double>(), new SolveOptions { SaveAt = SaveAt.Steps }));

        Assert.Equal("saveAt", error.ParamName);
    }
}
