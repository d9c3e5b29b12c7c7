using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Gradients;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Adjoint;

/// <summary>
/// Gradients of built-in systems with per-row parameters through <see cref="DifferentiableSystem{T, TState, TSystem}"/>:
/// Lorenz with its own VJP, Van der Pol on dual numbers. The loss is L = sum over output times of c . y(t_i).
/// </summary>
public sealed class SystemGradientTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[] Times = [0, 0.3, 1];
    private static readonly double[,] LorenzY0 = { { 1, 0, 0 }, { 0.5, 1, 2 } };
    private static readonly double[,] LorenzParameters = { { 10, 28, 8.0 / 3 }, { 10, 13, 8.0 / 3 } };
    private static readonly double[,] VdpY0 = { { 2, 0 }, { 1, 1 } };
    private static readonly double[,] VdpParameters = { { 1 }, { 4 } };
    private static readonly SolveOptions Tight = new() { Controller = new PIController(1e-11, 1e-12) };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lorenz_gradients_match_central_differences_of_the_solve(bool discrete)
    {
        var options = discrete ? Tight with { Adjoint = new DiscreteAdjoint() } : Tight;
        var c = Cotangents(3, 3, seed: 1);
        var gradient = Gradient<Vec3<double>, Lorenz<double>>(LorenzY0, LorenzParameters, c, options);

        AssertMatchesDifferences<Vec3<double>, Lorenz<double>>(LorenzY0, LorenzParameters, c, gradient);
    }

    [Fact]
    public void Van_der_pol_gradients_on_dual_numbers_match_central_differences_of_the_solve()
    {
        var c = Cotangents(2, 3, seed: 2);
        var gradient = Gradient<Vec2<double>, VanDerPol<double>>(VdpY0, VdpParameters, c, Tight);

        AssertMatchesDifferences<Vec2<double>, VanDerPol<double>>(VdpY0, VdpParameters, c, gradient);
    }

    [Fact]
    public void Lorenzs_own_vjp_and_the_dual_numbers_give_the_same_gradient()
    {
        var c = Cotangents(3, 3, seed: 3);
        var own = Gradient<Vec3<double>, Lorenz<double>>(LorenzY0, LorenzParameters, c, Tight);
        var duals = Gradient<Vec3<double>, Lorenz<double>>(LorenzY0, LorenzParameters, c, Tight, useSystemVjp: false);

        for (var r = 0; r < 2; r++)
            for (var p = 0; p < 3; p++)
                Assert.Equal(own.Parameters[r, p], duals.Parameters[r, p], 1e-9 * Math.Max(1, Math.Abs(own.Parameters[r, p])));
    }

    [Fact]
    public void The_seminorm_takes_fewer_backward_evaluations_on_van_der_pol_and_lorenz_for_the_same_gradient()
    {
        var options = new SolveOptions { Controller = new PIController(1e-6, 1e-8) };
        var semi = options with { Adjoint = new ContinuousAdjoint { Seminorm = true } };
        var vdp = (Gradient<Vec2<double>, VanDerPol<double>>(VdpY0, VdpParameters, Cotangents(2, 3, 4), options),
            Gradient<Vec2<double>, VanDerPol<double>>(VdpY0, VdpParameters, Cotangents(2, 3, 4), semi));
        var lorenz = (Gradient<Vec3<double>, Lorenz<double>>(LorenzY0, LorenzParameters, Cotangents(3, 3, 5), options),
            Gradient<Vec3<double>, Lorenz<double>>(LorenzY0, LorenzParameters, Cotangents(3, 3, 5), semi));

        foreach (var (full, reduced) in new[] { vdp, lorenz })
        {
            Assert.True(reduced.Backward.TotalEvaluations < full.Backward.TotalEvaluations,
                $"{reduced.Backward.TotalEvaluations} backward evaluations with the seminorm against {full.Backward.TotalEvaluations}");
            for (var r = 0; r < 2; r++)
                Assert.Equal(full.Parameters[r, 0], reduced.Parameters[r, 0], 1e-3 * Math.Max(1, Math.Abs(full.Parameters[r, 0])));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_shared_step_for_the_batch_as_torchdiffeq_takes_gives_the_same_gradient(bool discrete)
    {
        var options = new SolveOptions { Controller = new PIController(1e-9, 1e-11), Adjoint = discrete ? new DiscreteAdjoint() : new ContinuousAdjoint() };
        var c = Cotangents(3, 3, seed: 7);
        var own = Gradient<Vec3<double>, Lorenz<double>>(LorenzY0, LorenzParameters, c, options);
        var shared = Gradient<Vec3<double>, Lorenz<double>>(LorenzY0, LorenzParameters, c, options with { SharedStep = true });

        Assert.Equal(shared.Forward.Statistics.AcceptedSteps[0], shared.Forward.Statistics.AcceptedSteps[1]);
        Assert.Equal(shared.Backward.Evaluations[0], shared.Backward.Evaluations[1]);
        for (var r = 0; r < 2; r++)
            for (var p = 0; p < 3; p++)
                Assert.Equal(own.Parameters[r, p], shared.Parameters[r, p], 1e-5 * Math.Max(1, Math.Abs(own.Parameters[r, p])));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_row_that_fails_forward_gets_nan_gradients_and_its_status_while_the_other_finishes(bool discrete)
    {
        var options = new SolveOptions { MaxSteps = 2000, Adjoint = discrete ? new DiscreteAdjoint() : new ContinuousAdjoint() };
        double[,] mu = { { 1 }, { 10000 } }; // the stiff row runs out of steps

        var gradient = Gradient<Vec2<double>, VanDerPol<double>>(VdpY0, mu, Cotangents(2, 3, 6), options, times: [0, 1, 20]);

        Assert.Equal(TrajectoryStatus.Success, gradient.Status[0]);
        Assert.Equal(TrajectoryStatus.MaxStepsReached, gradient.Status[1]);
        Assert.True(double.IsFinite(gradient.Parameters[0, 0]), $"{gradient.Parameters[0, 0]} {gradient.InitialState[0, 0]} {gradient.Times[0, 0]} {gradient.Backward.Evaluations[0]}");
        Assert.True(double.IsNaN(gradient.Parameters[1, 0]) && double.IsNaN(gradient.InitialState[1, 0]));
    }

    private SolveGradient<double> Gradient<TState, TSystem>(double[,] y0, double[,] parameters, double[,,] c, SolveOptions options,
        bool useSystemVjp = true, double[]? times = null)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        times ??= Times;
        using var dynamics = new DifferentiableSystem<double, TState, TSystem>(cpu.Device, default, parameters, useSystemVjp: useSystemVjp);
        using var solver = new AdjointSolver<double>(dynamics, options, times.Length);
        return solver.Gradient(y0, times, c);
    }

    private void AssertMatchesDifferences<TState, TSystem>(double[,] y0, double[,] parameters, double[,,] c, SolveGradient<double> gradient)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        const double h = 1e-5;
        for (var r = 0; r < y0.GetLength(0); r++)
        {
            for (var p = 0; p < parameters.GetLength(1); p++)
            {
                var (plus, minus) = ((double[,])parameters.Clone(), (double[,])parameters.Clone());
                plus[r, p] += h;
                minus[r, p] -= h;
                var expected = (Loss<TState, TSystem>(y0, plus, c, r) - Loss<TState, TSystem>(y0, minus, c, r)) / (2 * h);
                Assert.True(Math.Abs(expected - gradient.Parameters[r, p]) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
                    $"row {r}, parameter {p}: {expected} by differences, {gradient.Parameters[r, p]} by the adjoint");
            }
            for (var d = 0; d < y0.GetLength(1); d++)
            {
                var (plus, minus) = ((double[,])y0.Clone(), (double[,])y0.Clone());
                plus[r, d] += h;
                minus[r, d] -= h;
                var expected = (Loss<TState, TSystem>(plus, parameters, c, r) - Loss<TState, TSystem>(minus, parameters, c, r)) / (2 * h);
                Assert.True(Math.Abs(expected - gradient.InitialState[r, d]) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
                    $"row {r}, y0[{d}]: {expected} by differences, {gradient.InitialState[r, d]} by the adjoint");
            }
        }
    }

    private double Loss<TState, TSystem>(double[,] y0, double[,] parameters, double[,,] c, int row)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        using var dynamics = new DifferentiableSystem<double, TState, TSystem>(cpu.Device, default, parameters);
        var solution = Ode.Solve(dynamics, y0, Times[0], Times[^1], Tight with { Controller = new PIController(1e-13, 1e-14), SaveAt = SaveAt.Times(Times) });
        var loss = 0.0;
        for (var i = 0; i < Times.Length; i++)
            for (var d = 0; d < y0.GetLength(1); d++)
                loss += c[row, i, d] * solution[row, i, d];
        return loss;
    }

    private static double[,,] Cotangents(int dim, int times, int seed) => RandomCotangents.Of(2, times, dim, seed);
}
