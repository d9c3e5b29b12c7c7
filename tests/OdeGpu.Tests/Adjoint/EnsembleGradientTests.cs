using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Ensemble;
using OdeGpu.Gradients;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Adjoint;

/// <summary>
/// The fused ensemble gradient (<see cref="EnsembleGradient"/>): each trajectory's continuous adjoint in its own thread,
/// with per-trajectory parameters, on Lorenz (its own VJP) and Van der Pol (duals). The references are the batched
/// <see cref="AdjointSolver{T}"/> over <see cref="DifferentiableSystem{T, TState, TSystem}"/> and central differences of
/// tight ensemble solves. The loss is L = sum over output times of c . z(t_i), so its cotangents are the fixed random c.
/// </summary>
public sealed class EnsembleGradientTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[] Times = [0, 0.3, 0.7, 1];
    private static readonly SolveOptions Tight = new() { Method = Tableaux.Methods.Tsit5, Controller = new PIController(1e-10, 1e-10) };
    private static readonly Vec3<double>[] LorenzStart = [new(1, 0, 0), new(0.5, -1, 2), new(-2, 1, 0.5)];
    private static readonly Vec2<double>[] VdpStart = [new(2, 0), new(0.5, -1), new(-1, 1.5)];
    private static readonly double[,] Mu = { { 0.5 }, { 1 }, { 2 } };

    [Fact]
    public void Lorenz_by_its_own_vjp_agrees_with_the_batched_adjoint()
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var c = Cotangents(3, Times.Length, 3, seed: 1);

        var fused = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, Tight);
        using var dynamics = new DifferentiableSystem<double, Vec3<double>, Lorenz<double>>(cpu.Device, default, parameters);
        using var solver = new AdjointSolver<double>(dynamics, Tight, maxOutputTimes: Times.Length);
        var batched = solver.Gradient(StateRows.FromStates<double, Vec3<double>>(LorenzStart), Times, c);

        AssertAgree(batched, fused);
    }

    [Fact]
    public void Van_der_pol_by_duals_agrees_with_the_batched_adjoint()
    {
        var c = Cotangents(3, Times.Length, 2, seed: 2);

        var fused = EnsembleGradient.Of(cpu.Device, default(VanDerPol<double>), VdpStart, Mu, Times, c, Tight);
        using var dynamics = new DifferentiableSystem<double, Vec2<double>, VanDerPol<double>>(cpu.Device, default, Mu);
        using var solver = new AdjointSolver<double>(dynamics, Tight, maxOutputTimes: Times.Length);
        var batched = solver.Gradient(StateRows.FromStates<double, Vec2<double>>(VdpStart), Times, c);

        AssertAgree(batched, fused);
    }

    [Fact]
    public void Lorenz_by_duals_agrees_with_its_own_vjp()
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var c = Cotangents(3, Times.Length, 3, seed: 3);

        var own = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, Tight);
        var duals = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, Tight, useSystemVjp: false);

        AssertAgree(own, duals);
    }

    [Fact]
    public void Van_der_pol_matches_central_differences_of_tight_ensemble_solves()
    {
        var c = Cotangents(3, Times.Length, 2, seed: 4);
        var gradient = EnsembleGradient.Of(cpu.Device, default(VanDerPol<double>), VdpStart, Mu, Times, c, Tight);

        const double h = 1e-5;
        for (var r = 0; r < 3; r++)
        {
            var byMu = Derivative(s => VdpLoss(VdpStart, Shifted(Mu, r, s), Times, c)[r], h);
            Assert.Equal(byMu, gradient.Parameters[r, 0], 1e-6);
            Assert.True(Math.Abs(byMu) > 1e-3, $"dL/dmu of row {r} is {byMu}: too small to tell a wrong gradient from zero");
            var byY0 = Derivative(s => VdpLoss([.. VdpStart.Select((y, i) => i == r ? new Vec2<double>(y.X, y.Y + s) : y)], Mu, Times, c)[r], h);
            Assert.Equal(byY0, gradient.InitialState[r, 1], 1e-6);
            foreach (var i in new[] { 0, 2, Times.Length - 1 })
            {
                var byTime = Derivative(s => VdpLoss(VdpStart, Mu, [.. Times.Select((t, j) => j == i ? t + s : t)], c)[r], h);
                Assert.Equal(byTime, gradient.Times[r, i], 1e-6);
            }
        }
    }

    [Fact]
    public void A_repeated_gradient_is_bit_identical()
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var c = Cotangents(3, Times.Length, 3, seed: 5);
        var options = new SolveOptions { Adjoint = new ContinuousAdjoint { Seminorm = true } };

        var first = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, options);
        var second = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, options);

        Assert.Equal(first.InitialState, second.InitialState);
        Assert.Equal(first.Parameters, second.Parameters);
        Assert.Equal(first.Times, second.Times);
    }

    [Fact]
    public void Chunks_give_the_gradients_of_one_launch()
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var c = Cotangents(3, Times.Length, 3, seed: 6);

        var whole = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, Tight);
        var chunked = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, Tight, new EnsembleOptions { ChunkSize = 2 });

        Assert.Equal(whole.InitialState, chunked.InitialState);
        Assert.Equal(whole.Parameters, chunked.Parameters);
    }

    [Theory]
    [InlineData("continuous")]
    [InlineData("discrete")]
    public void A_loss_gives_the_gradients_of_its_cotangents_from_one_forward_solve(string method)
    {
        var parameters = Batches.LorenzSweep<double>(3, 5, 28);
        var options = Tight with { Adjoint = method == "discrete" ? new DiscreteAdjoint() : new ContinuousAdjoint() };

        var byLoss = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, new SumOfSquares<double>(), options,
            new EnsembleOptions { ChunkSize = 2 });
        var c = new double[3, Times.Length, 3];
        for (var r = 0; r < 3; r++)
            for (var i = 1; i < Times.Length; i++)
                for (var d = 0; d < 3; d++)
                    c[r, i, d] = 2 * byLoss.Gradient.Forward[r, i, d];
        var byCotangents = EnsembleGradient.Of(cpu.Device, default(Lorenz<double>), LorenzStart, parameters, Times, c, options);

        for (var r = 0; r < 3; r++)
            Assert.Equal(Enumerable.Range(1, Times.Length - 1).Sum(i => Enumerable.Range(0, 3).Sum(d => Math.Pow(byLoss.Gradient.Forward[r, i, d], 2))), byLoss.Loss[r], 1e-12);
        Assert.Equal(byCotangents.InitialState, byLoss.Gradient.InitialState);
        Assert.Equal(byCotangents.Parameters, byLoss.Gradient.Parameters);
        Assert.Equal(byCotangents.Times, byLoss.Gradient.Times);
        Assert.Equal(Times.Length - 1, byLoss.Saved.Times.Length);
    }

    [Fact]
    public void Cotangents_of_the_wrong_shape_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => EnsembleGradient.Of(cpu.Device, default(VanDerPol<double>), VdpStart, Mu, Times,
            Cotangents(3, Times.Length - 1, 2, seed: 8)));

        Assert.Equal("cotangents", error.ParamName);
    }

    // Tolerance-level agreement: 1e-6 relative to the largest entry of each gradient.
    private static void AssertAgree(SolveGradient<double> expected, SolveGradient<double> actual)
    {
        foreach (var (e, a) in new[] { (expected.InitialState, actual.InitialState), (expected.Parameters, actual.Parameters), (expected.Times, actual.Times) })
        {
            var scale = Math.Max(1, e.Cast<double>().Max(Math.Abs));
            for (var r = 0; r < e.GetLength(0); r++)
                for (var k = 0; k < e.GetLength(1); k++)
                    Assert.True(Math.Abs(e[r, k] - a[r, k]) <= 1e-6 * scale, $"[{r}, {k}]: {a[r, k]}, expected {e[r, k]}");
        }
        Assert.All(actual.Status, s => Assert.Equal(TrajectoryStatus.Success, s));
    }

    // Each trajectory's loss sum_i c_i . z(t_i) from a tight ensemble solve.
    private double[] VdpLoss(Vec2<double>[] y0, double[,] mu, double[] times, double[,,] c)
    {
        var solution = EnsembleSolver.Solve(cpu.Device, default(VanDerPol<double>), y0, mu, times,
            new SolveOptions { Method = Tableaux.Methods.Tsit5, Controller = new PIController(1e-12, 1e-12) });
        return [.. Enumerable.Range(0, y0.Length).Select(r => Enumerable.Range(0, times.Length).Sum(i => c[r, i, 0] * solution[r, i, 0] + c[r, i, 1] * solution[r, i, 1]))];
    }

    private static double Derivative(Func<double, double> f, double h) => (f(h) - f(-h)) / (2 * h);

    private static double[,] Shifted(double[,] values, int row, double s)
    {
        var shifted = (double[,])values.Clone();
        shifted[row, 0] += s;
        return shifted;
    }

    private static double[,,] Cotangents(int rows, int times, int dimension, int seed)
    {
        var random = new Random(seed);
        var c = new double[rows, times, dimension];
        for (var r = 0; r < rows; r++)
            for (var i = 0; i < times; i++)
                for (var d = 0; d < dimension; d++)
                    c[r, i, d] = random.NextDouble() * 2 - 1;
        return c;
    }
}
