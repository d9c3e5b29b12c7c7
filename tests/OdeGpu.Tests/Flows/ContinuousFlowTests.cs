using OdeGpu.Control;
using OdeGpu.Flows;
using OdeGpu.Gradients;
using OdeGpu.Neural;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Flows;

/// <summary>
/// A flow of blocks (<see cref="ContinuousFlow{T}"/>), float64: linear dynamics change the log-density by exactly
/// -tr(A) T; a sample's density pass returns to its base point with the same log-density; the loss's gradient through
/// two blocks with both regularizers, every parameter kind and T, against central differences of the loss, by both
/// adjoints and with Hutchinson's estimate; bad shapes refused.
/// </summary>
public sealed class ContinuousFlowTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[,] X = { { 0.8, -0.3 }, { -1.2, 0.5 }, { 0.1, 1.4 } };
    private static readonly SolveOptions Tight = new() { Controller = new IntegralController(1e-11, 1e-11) };

    [Fact]
    public void Linear_dynamics_change_the_log_density_by_minus_the_trace_of_A_times_T_exactly()
    {
        double[,] a = { { -0.4, 1.3 }, { -0.7, 0.9 } };
        var architecture = new FlowArchitecture(Hidden: [], Layer: MlpLayer.Linear, EndTime: 1.7);
        double[] parameters = [a[0, 0], a[0, 1], a[1, 0], a[1, 1], 0, 0, Math.Sqrt(1.7)];
        using var flow = new ContinuousFlow<double>(cpu.Device, architecture, 3, parameters, Tight);

        var pass = flow.Density(X);

        var expm = MatrixExponential.Of(a, 1.7);
        for (var r = 0; r < 3; r++)
        {
            var logBase = -Math.Log(2 * Math.PI) - 0.5 * (pass.Base[r, 0] * pass.Base[r, 0] + pass.Base[r, 1] * pass.Base[r, 1]);
            Assert.Equal(logBase + (a[0, 0] + a[1, 1]) * 1.7, pass.LogDensity[r], 12);
            for (var k = 0; k < 2; k++)
                Assert.Equal(expm[k, 0] * X[r, 0] + expm[k, 1] * X[r, 1], pass.Base[r, k], 9);
        }
    }

    [Fact]
    public void A_sample_carried_back_to_the_base_recovers_its_point_and_log_density()
    {
        var architecture = new FlowArchitecture(Hidden: [16, 16], Blocks: 2);
        var parameters = ContinuousFlow<double>.InitialParameters(architecture, seed: 1).Select(p => 2 * p).ToArray();
        using var flow = new ContinuousFlow<double>(cpu.Device, architecture, 3, parameters, Tight);

        var sample = flow.Sample(X);
        var density = flow.Density(sample.Data);

        for (var r = 0; r < 3; r++)
        {
            for (var k = 0; k < 2; k++)
                Assert.Equal(X[r, k], density.Base[r, k], 8);
            Assert.Equal(sample.LogDensity[r], density.LogDensity[r], 8);
            Assert.True(Math.Abs(sample.Data[r, 0] - X[r, 0]) > 1e-3, "the flow moves the points");
        }
    }

    [Theory]
    [InlineData(false, TraceEstimator.Exact)]
    [InlineData(true, TraceEstimator.Exact)]
    [InlineData(true, TraceEstimator.Rademacher)]
    public void The_loss_gradient_through_two_regularized_blocks_matches_central_differences(bool discrete, TraceEstimator trace)
    {
        var architecture = new FlowArchitecture(Hidden: [6], Blocks: 2, Trace: trace, Kinetic: 0.1, Frobenius: 0.05);
        var parameters = ContinuousFlow<double>.InitialParameters(architecture, seed: 2).Select(p => 2 * p).ToArray();
        var options = Tight with { Adjoint = discrete ? new DiscreteAdjoint() : new ContinuousAdjoint() };
        using var flow = new ContinuousFlow<double>(cpu.Device, architecture, 3, parameters, options);

        var loss = flow.Loss(X, new Random(3));
        var gradient = cpu.Device.Download(flow.Gradient);

        double Loss(double[] p)
        {
            using var shifted = new ContinuousFlow<double>(cpu.Device, architecture, 3, p, options);
            return shifted.Loss(X, new Random(3)).Loss;
        }
        Assert.Equal(Loss(parameters), loss.Loss, 12);
        Assert.True(loss.Kinetic > 0 && loss.Frobenius > 0 && loss.NfeForward > 0 && loss.NfeBackward > 0);
        var ends = architecture.ParameterNames().Where(n => n.Name.EndsWith("sqrt_end_time", StringComparison.Ordinal)).Select(n => n.Offset);
        foreach (var k in ends.Concat([0, 7, 20, 40, architecture.NetworkParameters - 1, architecture.NetworkOffset(1) + 11]))
        {
            var expected = CentralDifference.Of(h => Loss(CentralDifference.Shifted(parameters, k, h)), 0, 1e-4);
            Assert.True(Math.Abs(expected - gradient[k]) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"parameter {k}: {gradient[k]}, central differences {expected}");
        }
    }

    [Fact]
    public void A_fixed_end_time_gets_no_gradient()
    {
        var architecture = new FlowArchitecture(Hidden: [6], TrainEndTime: false);
        var parameters = ContinuousFlow<double>.InitialParameters(architecture, seed: 4);
        using var flow = new ContinuousFlow<double>(cpu.Device, architecture, 3, parameters, Tight);

        flow.Loss(X, new Random(5));

        Assert.Equal(0, cpu.Device.Download(flow.Gradient)[^1]);
    }

    [Fact]
    public void Bad_shapes_are_refused_with_the_expected_shape()
    {
        var architecture = new FlowArchitecture(Hidden: [6]);
        var parameters = ContinuousFlow<double>.InitialParameters(architecture, seed: 6);

        var wrongCount = Assert.Throws<ArgumentException>(() => new ContinuousFlow<double>(cpu.Device, architecture, 3, parameters[1..], Tight));
        Assert.Contains($"must hold {parameters.Length} values", wrongCount.Message, StringComparison.Ordinal);
        using var flow = new ContinuousFlow<double>(cpu.Device, architecture, 3, parameters, Tight);
        var wrongRows = Assert.Throws<ArgumentException>(() => flow.Density(new double[2, 2]));
        Assert.Contains("must be [3, 2]", wrongRows.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FlowArchitecture(Activation: "gelu").Validated());
    }
}
