using OdeGpu.Neural;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// f(y^3) around an MLP (<see cref="CubedInput{T}"/>, the input map of torchdiffeq's ode_demo), float64: f is the MLP at
/// the cubed state, and its VJP in the state, the parameters and t, and its JVP, match central differences.
/// </summary>
public sealed class CubedInputTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly int[] Widths = [2, 6, 2];

    [Fact]
    public void Products_match_central_differences_of_the_mlp_at_the_cubed_state()
    {
        var device = cpu.Device;
        var theta = MlpDynamics<double, Tanh>.InitialParameters(Widths, seed: 3, MlpLayer.ConcatLinear);
        using var mlp = new MlpDynamics<double, Tanh>(device, 2, Widths, theta, MlpLayer.ConcatLinear);
        using var cubed = new CubedInput<double>(mlp);
        double[] y = [0.7, -1.1, 0.4, 0.9], a = [0.5, -0.2, 1.3, 0.6], v = [-0.4, 0.8, 0.3, 0.2], time = [0.3, -0.6];
        double[] F(double[] p, double[] state, double[] t)
        {
            using var m = new MlpDynamics<double, Tanh>(device, 2, Widths, p, MlpLayer.ConcatLinear);
            using var c = new CubedInput<double>(m);
            using var tv = device.Upload(t);
            using var sv = device.Upload(state);
            using var f = device.Allocate<double>(4);
            c.Evaluate(tv.View, sv.View, f.View);
            return device.Download<double>(f.View);
        }
        double Loss(double[] p, double[] state, double[] t) => F(p, state, t).Zip(a, (f, c) => f * c).Sum();
        using var tView = device.Upload(time);
        using var yView = device.Upload(y);
        using var aView = device.Upload(a);
        using var vView = device.Upload(v);
        using var f = device.Allocate<double>(4);
        using var aY = device.Allocate<double>(4);
        using var aTheta = device.Allocate<double>(theta.Length);
        using var aT = device.Allocate<double>(2);
        using var jv = device.Allocate<double>(4);

        cubed.Vjp(tView.View, yView.View, aView.View, f.View, aY.View, aTheta.View, aT.View, sumRows: true);
        cubed.Jvp(tView.View, yView.View, vView.View, jv.View);

        using var cube = device.Upload(y.Select(x => x * x * x).ToArray());
        using var plain = device.Allocate<double>(4);
        mlp.Evaluate(tView.View, cube.View, plain.View);
        Assert.Equal(device.Download<double>(plain.View), device.Download<double>(f.View), new Tolerance(1e-14));
        var gradient = device.Download<double>(aY.View);
        for (var k = 0; k < 4; k++)
            AssertClose(CentralDifference.Of(h => Loss(theta, CentralDifference.Shifted(y, k, h), time), 0, 1e-6), gradient[k]);
        var parameters = device.Download<double>(aTheta.View);
        foreach (var k in new[] { 0, 5, 11, theta.Length - 1 })
            AssertClose(CentralDifference.Of(h => Loss(CentralDifference.Shifted(theta, k, h), y, time), 0, 1e-6), parameters[k]);
        var timeGradient = device.Download<double>(aT.View);
        for (var r = 0; r < 2; r++)
            AssertClose(CentralDifference.Of(h => Loss(theta, y, CentralDifference.Shifted(time, r, h)), 0, 1e-6), timeGradient[r]);
        var tangent = device.Download<double>(jv.View);
        for (var k = 0; k < 4; k++)
            AssertClose(CentralDifference.Of(h => F(theta, [.. y.Zip(v, (x, d) => x + h * d)], time)[k], 0, 1e-6), tangent[k]);
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{actual}, expected {expected}");

    private sealed class Tolerance(double relative) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= relative * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double value) => 0;
    }
}
