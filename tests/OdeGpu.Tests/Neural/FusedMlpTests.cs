using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// A small MLP inside the fused ensemble kernel (<see cref="FusedMlp{T, TState, THidden, TActivation}"/>): its f is the
/// batched <see cref="MlpDynamics{T, TActivation}"/>'s on the same flat parameters (Linear and ConcatLinear, a hidden
/// width below its vector's, more than one hidden layer), an ensemble solve agrees with the batched mode's, and its
/// fused kernels compile for PTX and OpenCL.
/// </summary>
public sealed class FusedMlpTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private const int Rows = 6;

    [Theory]
    [InlineData(MlpLayer.Linear, new[] { 4, 32, 32, 4 })]
    [InlineData(MlpLayer.ConcatLinear, new[] { 4, 32, 32, 4 })]
    [InlineData(MlpLayer.ConcatLinear, new[] { 4, 20, 20, 20, 4 })]
    public void F_is_the_batched_mlps(MlpLayer layer, int[] widths)
    {
        var theta = MlpDynamics<double, Softplus>.InitialParameters(widths, seed: 1, layer);
        using var mlp = new MlpDynamics<double, Softplus>(cpu.Device, Rows, widths, theta, layer);
        using var parameters = cpu.Device.Upload(theta);
        var system = System(parameters.View, widths, layer);
        var y = States(seed: 2);
        var time = Enumerable.Range(0, Rows).Select(r => 0.3 * r - 0.5).ToArray();
        using var t = cpu.Device.Upload(time);
        using var state = cpu.Device.Upload(y.SelectMany(v => new[] { v.X, v.Y, v.Z, v.W }).ToArray());
        using var f = cpu.Device.Allocate<double>(Rows * 4);

        mlp.Evaluate(t.View, state.View, f.View);

        var batched = cpu.Device.Download<double>(f.View);
        for (var r = 0; r < Rows; r++)
        {
            var fused = system.Evaluate(time[r], y[r]);
            for (var d = 0; d < 4; d++)
                Assert.Equal(batched[r * 4 + d], Vec4<double>.Component(fused, d), 12);
        }
    }

    [Fact]
    public void An_ensemble_solve_agrees_with_the_batched_mode()
    {
        int[] widths = [4, 32, 32, 4];
        var theta = MlpDynamics<double, Softplus>.InitialParameters(widths, seed: 3, MlpLayer.ConcatLinear);
        using var mlp = new MlpDynamics<double, Softplus>(cpu.Device, Rows, widths, theta, MlpLayer.ConcatLinear);
        using var parameters = cpu.Device.Upload(theta);
        var y0 = States(seed: 4);
        var options = new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(1e-9, 1e-9) };

        var fused = Ode.Solve<double, Vec4<double>, FusedMlp<double, Vec4<double>, Vec32<double>, Softplus>>(cpu.Device, System(parameters.View, widths, MlpLayer.ConcatLinear), y0, null, 0, 5, options);
        var batched = Ode.Solve(mlp, Matrix(y0), 0, 5, options);

        for (var r = 0; r < Rows; r++)
            for (var d = 0; d < 4; d++)
                Assert.Equal(batched[r, batched.Times.Length - 1, d], fused[r, fused.Times.Length - 1, d], 7);
        Assert.All(fused.Status, s => Assert.Equal(TrajectoryStatus.Success, s));
    }

    // On a 2-8-8-2 network: ILGPU's compile time grows with the unrolled layers (units x inputs multiply-adds each),
    // about three minutes for the kernels of a 4-32-32-4 one with two methods.
    [Fact]
    public void Its_fused_kernels_compile_for_ptx_and_opencl() =>
        Assert.All(GpuCompileCheck.Check<float, Vec2<float>, FusedMlp<float, Vec2<float>, Vec8<float>, Softplus>>(Methods.Dopri5),
            result => Assert.True(result.Compiled, result.ToString()));

    private static FusedMlp<double, Vec4<double>, Vec32<double>, Softplus> System(ILGPU.ArrayView<double> parameters, int[] widths, MlpLayer layer) => new()
    {
        Parameters = parameters, Width = widths[1], HiddenLayers = widths.Length - 2, TimeColumn = layer == MlpLayer.ConcatLinear ? 1 : 0,
    };

    private static Vec4<double>[] States(int seed)
    {
        var random = new Random(seed);
        double Next() => 2 * random.NextDouble() - 1;
        return [.. Enumerable.Range(0, Rows).Select(_ => new Vec4<double>(Next(), Next(), Next(), Next()))];
    }

    private static double[,] Matrix(Vec4<double>[] states)
    {
        var matrix = new double[states.Length, 4];
        for (var r = 0; r < states.Length; r++)
            for (var d = 0; d < 4; d++)
                matrix[r, d] = Vec4<double>.Component(states[r], d);
        return matrix;
    }
}
