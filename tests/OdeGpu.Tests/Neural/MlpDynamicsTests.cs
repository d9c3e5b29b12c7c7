using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Gradients;
using OdeGpu.Neural;
using OdeGpu.Tableaux;
using OdeGpu.State;
using OdeGpu.Tests.Support;
using D = OdeGpu.Differentiation.Dual<double, OdeGpu.State.Vec1<double>>;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// MLP dynamics (<see cref="MlpDynamics{T, TActivation}"/>), float64, 2-8-8-2 with tanh, ConcatLinear and ConcatSquash:
/// f against a host MLP; its VJP in the state, every parameter and t against central differences and against dual
/// numbers through the host MLP, and its JVP against central differences; a VJP from a kept evaluation, summed over the
/// rows; a neural ODE's gradients through both adjoints: the discrete one against central differences of the solve with
/// its steps frozen, the continuous one converging to it; PyTorch's names, layout and initialization; bad shapes refused.
/// </summary>
public sealed class MlpDynamicsTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly int[] Widths = [2, 8, 8, 2];
    private static readonly double[,] Y0 = { { 1, 0 }, { 0.5, -1 }, { -0.8, 0.3 } };
    private static readonly double[] Times = [0, 0.4, 1];
    private const int Rows = 3;

    [Fact]
    public void F_is_the_host_mlp()
    {
        var theta = MlpDynamics<double, Tanh>.InitialParameters(Widths, seed: 1, layer: MlpLayer.ConcatLinear);
        using var mlp = new MlpDynamics<double, Tanh>(cpu.Device, Rows, Widths, theta, layer: MlpLayer.ConcatLinear);
        double[] time = [0.1, 0.5, -0.3];

        var f = Evaluate(mlp, time, Flatten(Y0));

        for (var r = 0; r < Rows; r++)
        {
            var expected = Host(theta, time[r], [Y0[r, 0], Y0[r, 1]]);
            for (var d = 0; d < 2; d++)
                Assert.Equal(expected[d], f[r * 2 + d], 14);
        }
    }

    [Theory]
    [InlineData(MlpLayer.ConcatLinear)]
    [InlineData(MlpLayer.ConcatSquash)]
    public void The_vjp_matches_central_differences_and_dual_numbers_and_the_jvp_central_differences(MlpLayer layer)
    {
        var theta = MlpDynamics<double, Tanh>.InitialParameters(Widths, seed: 2, layer);
        using var mlp = new MlpDynamics<double, Tanh>(cpu.Device, Rows, Widths, theta, layer);
        double[] time = [0.1, 0.5, -0.3];
        var y = Flatten(Y0);
        var a = new[] { 0.3, -1.2, 0.7, 0.4, -0.5, 0.9 };
        var v = new[] { -0.6, 0.2, 1.1, -0.4, 0.3, 0.8 };

        var (f, aY, aTheta, aT) = Vjp(mlp, time, y, a);
        var jv = Jvp(mlp, time, y, v);

        for (var r = 0; r < Rows; r++)
        {
            var row = r;
            double Loss(double[] p, double t, double[] z) => Host(p, t, z, layer).Select((x, d) => a[row * 2 + d] * x).Sum();
            var z = new[] { y[r * 2], y[r * 2 + 1] };
            Assert.Equal(Host(theta, time[r], z, layer)[1], f[r * 2 + 1], 14);
            for (var d = 0; d < 2; d++)
                AssertClose(CentralDifference.Of(h => Loss(theta, time[r], CentralDifference.Shifted(z, d, h)), 0, 1e-6), aY[r * 2 + d]);
            for (var k = 0; k < theta.Length; k++)
                AssertClose(CentralDifference.Of(h => Loss(CentralDifference.Shifted(theta, k, h), time[r], z), 0, 1e-6), aTheta[r * theta.Length + k]);
            AssertClose(CentralDifference.Of(h => Loss(theta, time[r] + h, z), 0, 1e-6), aT[r]);
            for (var d = 0; d < 2; d++)
                AssertClose(CentralDifference.Of(h => Host(theta, time[row], [z[0] + h * v[row * 2], z[1] + h * v[row * 2 + 1]], layer)[d], 0, 1e-6), jv[r * 2 + d]);
            // exactly: a . f along one direction at a time on dual numbers through the host MLP
            double Along(int parameter, int component, bool alongTime)
            {
                D Seeded(double value, bool seeded) => new(value, new Vec1<double>(seeded ? 1 : 0));
                var values = Host(theta.Select((p, k) => Seeded(p, k == parameter)).ToArray(), Seeded(time[row], alongTime), [Seeded(z[0], component == 0), Seeded(z[1], component == 1)], layer);
                return a[row * 2] * values[0].Tangent.X + a[row * 2 + 1] * values[1].Tangent.X;
            }
            for (var k = 0; k < theta.Length; k++)
                Assert.Equal(Along(k, -1, false), aTheta[r * theta.Length + k], 13);
            for (var d = 0; d < 2; d++)
                Assert.Equal(Along(-1, d, false), aY[r * 2 + d], 13);
            Assert.Equal(Along(-1, -1, true), aT[r], 13);
        }
    }

    [Theory]
    [InlineData(MlpLayer.ConcatLinear)]
    [InlineData(MlpLayer.ConcatSquash)]
    public void The_discrete_adjoint_is_the_gradient_of_the_solve_with_its_steps_frozen(MlpLayer layer)
    {
        var theta = MlpDynamics<double, Tanh>.InitialParameters(Widths, seed: 3, layer);
        var options = new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(1e-6, 1e-8), Adjoint = new DiscreteAdjoint() };
        var c = RandomCotangents.Of(Rows, Times.Length, 2, seed: 4);

        var gradient = Gradient<Tanh>(theta, options, c, layer, Times);
        using var steps = new MlpDynamics<double, Tanh>(cpu.Device, Rows, Widths, theta, layer);
        var saved = Ode.Solve(steps, Y0, Times[0], Times[^1], options with { SaveAt = SaveAt.Steps });

        double Loss(double[] p, double[,] y0) => Enumerable.Range(0, Rows).Sum(r =>
        {
            var stepTimes = Enumerable.Range(0, saved.Times.Length).Select(i => saved.Time(r, i)).TakeWhile(t => !double.IsNaN(t)).ToArray();
            var outputs = StepReplay.Outputs(options.Method, (t, z) => Host(p, t, z, layer), [y0[r, 0], y0[r, 1]], stepTimes, Times);
            return Enumerable.Range(0, Times.Length).Sum(i => c[r, i, 0] * outputs[i][0] + c[r, i, 1] * outputs[i][1]);
        });
        foreach (var k in new[] { 0, 5, 17, theta.Length - 1 })
            AssertClose(CentralDifference.Of(h => Loss(CentralDifference.Shifted(theta, k, h), Y0), 0, 1e-6), gradient.SharedParameters![k]);
        for (var r = 0; r < Rows; r++)
            for (var d = 0; d < 2; d++)
            {
                var y0 = (double[,])Y0.Clone();
                AssertClose(CentralDifference.Of(h => { y0[r, d] = Y0[r, d] + h; return Loss(theta, y0); }, 0, 1e-6), gradient.InitialState[r, d]);
            }
    }

    // Keeping the forward solve's stage evaluations (each slot an evaluation's activations) spares the backward pass one
    // evaluation per stage and gives the same gradient: FSAL methods (a step's last stage is the next one's first), a
    // method without (rk4), rejected attempts overwriting their slots, an output inside a step, and DOP853, whose steps
    // with outputs need extra interpolation stages and are evaluated again.
    [Theory]
    [InlineData("dopri5", 0.0, false)]
    [InlineData("dopri5", 0.0, true)]
    [InlineData("bosh3", 0.0, false)]
    [InlineData("rk4", 0.1, true)]
    [InlineData("dopri8", 0.0, true)]
    public void Kept_evaluations_give_the_gradient_of_evaluations_made_again(string method, double dt, bool outputInside)
    {
        var theta = MlpDynamics<double, Tanh>.InitialParameters(Widths, seed: 8, MlpLayer.ConcatSquash);
        var options = new SolveOptions
        {
            Method = Methods.Parse(method),
            Controller = dt > 0 ? new FixedStep(dt) : new PIController(1e-7, 1e-9),
            InitialStep = dt > 0 ? null : 0.5,
            SharedStep = dt == 0,
            Adjoint = new DiscreteAdjoint(),
        };
        double[] times = outputInside ? Times : [0, 1];
        var c = RandomCotangents.Of(Rows, times.Length, 2, seed: 9);

        var again = Gradient<Tanh>(theta, options, c, MlpLayer.ConcatSquash, times);
        var kept = Gradient<Tanh>(theta, options with { Adjoint = new DiscreteAdjoint { KeepEvaluations = true } }, c, MlpLayer.ConcatSquash, times);

        foreach (var (expected, actual) in new[] { (again.SharedParameters!, kept.SharedParameters!), (again.InitialState.Cast<double>().ToArray(), kept.InitialState.Cast<double>().ToArray()) })
        {
            var scale = expected.Max(Math.Abs);
            for (var k = 0; k < expected.Length; k++)
                Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-12 * scale, $"[{k}]: {actual[k]}, expected {expected[k]}");
        }
        Assert.True(dt > 0 || method == "dopri8" || again.Forward.Statistics.TotalRejected > 0, "the first step of 0.5 should be rejected (DOP853 takes it)");
        // each stage's VJP without its evaluation: half the backward evaluations, but in DOP853's steps with outputs
        // (here both of its steps)
        if (method == "dopri8")
            Assert.Equal(again.Backward.TotalEvaluations, kept.Backward.TotalEvaluations);
        else
            Assert.Equal(again.Backward.TotalEvaluations, 2 * kept.Backward.TotalEvaluations);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    public void Kept_evaluations_need_one_step_for_every_row_and_every_state_recorded(bool sharedStep, int every)
    {
        var theta = MlpDynamics<double, Tanh>.InitialParameters(Widths, seed: 8);
        using var mlp = new MlpDynamics<double, Tanh>(cpu.Device, Rows, Widths, theta);
        var options = new SolveOptions { SharedStep = sharedStep, Adjoint = new DiscreteAdjoint { KeepEvaluations = true, CheckpointEvery = every } };

        var error = Assert.Throws<ArgumentException>(() => new AdjointSolver<double>(mlp, options));

        Assert.Equal("options", error.ParamName);
        Assert.Contains(sharedStep ? "CheckpointEvery" : "SharedStep", error.Message);
    }

    // With one step size for the batch, the continuous adjoint integrates one a_theta spread over the rows.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_continuous_adjoint_converges_to_the_discrete_one(bool sharedStep)
    {
        var theta = MlpDynamics<double, Softplus>.InitialParameters(Widths, seed: 5).Select(x => 3 * x).ToArray();
        double[] times = [0, 2, 5];
        var c = RandomCotangents.Of(Rows, times.Length, 2, seed: 6);
        var differences = new List<double>();
        foreach (var rtol in new[] { 1e-3, 1e-7 })
        {
            var options = new SolveOptions { Controller = new PIController(rtol, rtol * 1e-2), SharedStep = sharedStep };
            var discrete = Gradient<Softplus>(theta, options with { Adjoint = new DiscreteAdjoint() }, c, layer: MlpLayer.Linear, times);
            var continuous = Gradient<Softplus>(theta, options with { Adjoint = new ContinuousAdjoint { Seminorm = true } }, c, layer: MlpLayer.Linear, times);
            var scale = discrete.SharedParameters!.Max(Math.Abs);
            differences.Add(discrete.SharedParameters!.Zip(continuous.SharedParameters!, (x, y) => Math.Abs(x - y)).Max() / scale);
        }

        Assert.True(differences[1] < differences[0] / 100 && differences[1] < 1e-5, string.Join(", ", differences));
    }

    [Fact]
    public void Initial_parameters_follow_pytorchs_bounds_and_the_seed()
    {
        var theta = MlpDynamics<double, Tanh>.InitialParameters([2, 50, 2], seed: 7);

        Assert.Equal(MlpDynamics<double, Tanh>.ParameterCountOf([2, 50, 2]), theta.Length);
        Assert.True(theta.Take(100 + 50).All(x => Math.Abs(x) <= 1 / Math.Sqrt(2)));
        Assert.True(theta.Skip(150).All(x => Math.Abs(x) <= 1 / Math.Sqrt(50)));
        Assert.Equal(theta, MlpDynamics<double, Tanh>.InitialParameters([2, 50, 2], seed: 7));
    }

    [Fact]
    public void Parameters_are_named_and_laid_out_as_pytorchs_state_dicts()
    {
        var linear = MlpDynamics<double, Tanh>.ParameterNames([2, 50, 2]);
        var squash = MlpDynamics<double, Tanh>.ParameterNames([2, 8, 2], MlpLayer.ConcatSquash);
        var concat = MlpDynamics<double, Tanh>.ParameterNames([2, 8, 2], MlpLayer.ConcatLinear);

        Assert.Equal(["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"], linear.Select(p => p.Name));
        Assert.Equal([0, 100, 150, 250], linear.Select(p => p.Offset));
        Assert.Equal([2, 50], linear[2].Shape);
        Assert.Equal(["layers.0._layer.weight", "layers.0._layer.bias", "layers.0._hyper_bias.weight", "layers.0._hyper_gate.weight", "layers.0._hyper_gate.bias",
            "layers.1._layer.weight", "layers.1._layer.bias", "layers.1._hyper_bias.weight", "layers.1._hyper_gate.weight", "layers.1._hyper_gate.bias"], squash.Select(p => p.Name));
        Assert.Equal([8, 3], concat[0].Shape);
        Assert.Equal(8 * 2 + 8 + 3 * 8 + 2 * 8 + 2 + 3 * 2, MlpDynamics<double, Tanh>.ParameterCountOf([2, 8, 2], MlpLayer.ConcatSquash));
        // the hyper-networks are Linear(1, out): their bound is 1, the layer's 1/sqrt(2)
        var theta = MlpDynamics<double, Tanh>.InitialParameters([2, 8, 2], seed: 1, MlpLayer.ConcatSquash);
        Assert.True(theta.Take(24).All(x => Math.Abs(x) <= 1 / Math.Sqrt(2)) && theta.Skip(24).Take(24).Any(x => Math.Abs(x) > 1 / Math.Sqrt(2)));
    }

    [Theory]
    [InlineData(new[] { 2, 8, 3 }, 2 * 8 + 8 + 8 * 3 + 3, "widths")]
    [InlineData(new[] { 2 }, 0, "widths")]
    [InlineData(new[] { 2, 8, 2 }, 7, "parameters")]
    public void Bad_shapes_are_refused(int[] widths, int parameters, string argument)
    {
        var error = Assert.Throws<ArgumentException>(() => new MlpDynamics<double, Tanh>(cpu.Device, Rows, widths, new double[parameters]));

        Assert.Equal(argument, error.ParamName);
    }

    private SolveGradient<double> Gradient<TActivation>(double[] theta, SolveOptions options, double[,,] c, MlpLayer layer, double[] times)
        where TActivation : struct, IActivation
    {
        using var mlp = new MlpDynamics<double, TActivation>(cpu.Device, Rows, Widths, theta, layer);
        using var solver = new AdjointSolver<double>(mlp, options, times.Length);
        return solver.Gradient(Y0, times, c);
    }

    // The MLP on the host: tanh between layers, t prepended to every layer's input.
    private static double[] Host(double[] p, double t, double[] z, MlpLayer layer = MlpLayer.ConcatLinear) => Host<double>(p, t, z, layer);

    // The MLP on the host, generic so that it also runs on dual numbers.
    private static T[] Host<T>(T[] p, T t, T[] z, MlpLayer layer) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var x = z;
        var offset = 0;
        var time = layer == MlpLayer.ConcatLinear ? 1 : 0;
        for (var l = 0; l + 1 < Widths.Length; l++)
        {
            int inputs = Widths[l], outputs = Widths[l + 1], columns = inputs + time;
            var next = new T[outputs];
            var squash = offset + outputs * columns + outputs;
            for (var o = 0; o < outputs; o++)
            {
                var sum = p[offset + outputs * columns + o] + (time == 1 ? p[offset + o * columns] * t : T.Zero);
                for (var i = 0; i < inputs; i++)
                    sum += p[offset + o * columns + time + i] * x[i];
                if (layer == MlpLayer.ConcatSquash)
                    sum = sum * Sigmoid.Value(p[squash + outputs + o] * t + p[squash + 2 * outputs + o]) + p[squash + o] * t;
                next[o] = l + 2 < Widths.Length ? Tanh.Value(sum) : sum;
            }
            offset += outputs * columns + outputs + (layer == MlpLayer.ConcatSquash ? 3 * outputs : 0);
            x = next;
        }
        return x;
    }

    [Theory]
    [InlineData(MlpLayer.ConcatLinear)]
    [InlineData(MlpLayer.ConcatSquash)]
    public void A_vjp_from_a_kept_evaluation_summed_over_the_rows_is_the_row_sum_of_the_recomputed_one(MlpLayer layer)
    {
        var theta = MlpDynamics<double, Tanh>.InitialParameters(Widths, seed: 7, layer);
        using var mlp = new MlpDynamics<double, Tanh>(cpu.Device, Rows, Widths, theta, layer);
        var device = cpu.Device;
        double[] time = [0.1, 0.5, -0.3];
        var y = Flatten(Y0);
        var a = new[] { 0.3, -1.2, 0.7, 0.4, -0.5, 0.9 };
        var (_, aY, aTheta, aT) = Vjp(mlp, time, y, a);

        using var t = device.Upload(time);
        using var state = device.Upload(y);
        using var other = device.Upload(y.Select(x => 2 - x).ToArray());
        using var f = device.Allocate<double>(y.Length);
        using var cotangent = device.Upload(a);
        using var keptY = device.Allocate<double>(y.Length);
        using var summed = device.Allocate<double>(mlp.ParameterCount);
        using var keptT = device.Allocate<double>(Rows);
        mlp.Evaluate(t.View, state.View, f.View, slot: 1);
        mlp.Evaluate(t.View, other.View, f.View, slot: 0);
        mlp.Vjp(1, t.View, state.View, cotangent.View, f.View, keptY.View, summed.View, keptT.View, sumRows: true);

        var sums = device.Download<double>(summed.View);
        for (var k = 0; k < theta.Length; k++)
            Assert.Equal(Enumerable.Range(0, Rows).Sum(r => aTheta[r * theta.Length + k]), sums[k], 13);
        foreach (var (expected, actual) in aY.Zip(device.Download<double>(keptY.View)).Concat(aT.Zip(device.Download<double>(keptT.View))))
            Assert.Equal(expected, actual, 13);
    }

    private double[] Evaluate(MlpDynamics<double, Tanh> mlp, double[] time, double[] y)
    {
        using var t = cpu.Device.Upload(time);
        using var state = cpu.Device.Upload(y);
        using var f = cpu.Device.Allocate<double>(y.Length);
        mlp.Evaluate(t.View, state.View, f.View);
        return cpu.Device.Download<double>(f.View);
    }

    private (double[] F, double[] AY, double[] ATheta, double[] AT) Vjp(MlpDynamics<double, Tanh> mlp, double[] time, double[] y, double[] a)
    {
        var device = cpu.Device;
        using var t = device.Upload(time);
        using var state = device.Upload(y);
        using var cotangent = device.Upload(a);
        using var f = device.Allocate<double>(y.Length);
        using var aY = device.Allocate<double>(y.Length);
        using var aTheta = device.Allocate<double>((long)Rows * mlp.ParameterCount);
        using var aT = device.Upload(new[] { 9.0, 9.0, 9.0 });
        mlp.Vjp(t.View, state.View, cotangent.View, f.View, aY.View, aTheta.View, aT.View);
        return (device.Download<double>(f.View), device.Download<double>(aY.View), device.Download<double>(aTheta.View), device.Download<double>(aT.View));
    }

    private double[] Jvp(MlpDynamics<double, Tanh> mlp, double[] time, double[] y, double[] v)
    {
        var device = cpu.Device;
        using var t = device.Upload(time);
        using var state = device.Upload(y);
        using var tangent = device.Upload(v);
        using var jv = device.Allocate<double>(y.Length);
        mlp.Jvp(t.View, state.View, tangent.View, jv.View);
        return device.Download<double>(jv.View);
    }

    private static double[] Flatten(double[,] values) => [.. values.Cast<double>()];

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{actual}, expected {expected}");
}
