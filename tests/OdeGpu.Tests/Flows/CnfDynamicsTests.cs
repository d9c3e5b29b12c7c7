using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Flows;
using OdeGpu.Neural;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Flows;

/// <summary>
/// A flow's augmented dynamics (<see cref="CnfDynamics{T, TActivation}"/>), float64, a 3-8-8-3 network with every layer
/// kind: the exact trace, kinetic energy and Frobenius norm against the central-difference Jacobian; Hutchinson's
/// estimates averaging to them; the VJP (the trace's second derivatives) in the state, every parameter and t against
/// central differences of a . F, row by row and summed; the JVP likewise; the direct launcher's twin against the kernels
/// on ILGPU's launcher; every kernel compiled for PTX and OpenCL.
/// </summary>
public sealed class CnfDynamicsTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly int[] Widths = [3, 8, 8, 3];
    private static readonly double[] Z = [0.7, -0.4, 1.1, -1.3, 0.2, 0.5, 0.1, 0.9, -0.6, 0.4, -0.8, 0.3];
    private static readonly double[] Time = [0.1, 0.35, -0.2, 0.6];
    private const int Rows = 4, D = 3;

    [Theory]
    [InlineData(MlpLayer.Linear)]
    [InlineData(MlpLayer.ConcatLinear)]
    [InlineData(MlpLayer.ConcatSquash)]
    public void The_exact_trace_kinetic_energy_and_frobenius_norm_are_those_of_the_finite_difference_jacobian(MlpLayer layer)
    {
        var theta = Theta(layer, seed: 1);
        using var flow = new Flow(cpu.Device, theta, layer, TraceEstimator.Exact, kinetic: true, frobenius: true);

        var f = flow.Evaluate(Time, Augmented(Z, 3));

        for (var r = 0; r < Rows; r++)
        {
            var jacobian = Jacobian(flow, r, theta, layer);
            var field = Enumerable.Range(0, D).Select(k => f[r * 6 + k]).ToArray();
            Assert.Equal(-Enumerable.Range(0, D).Sum(k => jacobian[k, k]), f[r * 6 + D], 9);
            Assert.Equal(field.Sum(x => x * x), f[r * 6 + D + 1], 13);
            Assert.Equal(jacobian.Cast<double>().Sum(x => x * x), f[r * 6 + D + 2], 9);
        }
        Assert.True(Enumerable.Range(0, Rows).Max(r => Math.Abs(f[r * 6 + D])) > 0.01, "the trace is not trivially small");
    }

    [Theory]
    [InlineData(TraceEstimator.Rademacher)]
    [InlineData(TraceEstimator.Gaussian)]
    public void Hutchinson_estimates_average_to_the_exact_trace_and_frobenius_norm(TraceEstimator estimator)
    {
        const int samples = 20000;
        var theta = Theta(MlpLayer.ConcatSquash, seed: 2);
        var z = Enumerable.Range(0, samples).SelectMany(_ => Z.Take(D)).ToArray();
        var time = Enumerable.Repeat(0.3, samples).ToArray();
        using var exact = new Flow(cpu.Device, theta, MlpLayer.ConcatSquash, TraceEstimator.Exact, kinetic: false, frobenius: true, rows: 1);
        using var estimate = new Flow(cpu.Device, theta, MlpLayer.ConcatSquash, estimator, kinetic: false, frobenius: true, rows: samples);
        estimate.Dynamics.DrawNoise(new Random(3));

        var truth = exact.Evaluate([0.3], Augmented(Z.Take(D).ToArray(), 2));
        var draws = estimate.Evaluate(time, Augmented(z, 2));

        foreach (var k in new[] { D, D + 1 })
        {
            var values = Enumerable.Range(0, samples).Select(r => draws[r * (D + 2) + k]).ToArray();
            var mean = values.Average();
            var error = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (samples - 1) / samples);
            Assert.True(error > 1e-6, "the estimates vary");
            Assert.True(Math.Abs(mean - truth[k]) < 4 * error, $"component {k}: mean {mean} +- {error}, exact {truth[k]}");
        }
    }

    [Theory]
    [InlineData(MlpLayer.Linear, TraceEstimator.Exact, false, false)]
    [InlineData(MlpLayer.ConcatLinear, TraceEstimator.Exact, true, true)]
    [InlineData(MlpLayer.ConcatSquash, TraceEstimator.Exact, true, true)]
    [InlineData(MlpLayer.ConcatSquash, TraceEstimator.Rademacher, false, true)]
    [InlineData(MlpLayer.ConcatSquash, TraceEstimator.Gaussian, true, false)]
    public void The_vjp_holds_the_exact_second_derivatives_of_the_trace(MlpLayer layer, TraceEstimator estimator, bool kinetic, bool frobenius)
    {
        var theta = Theta(layer, seed: 4);
        using var flow = new Flow(cpu.Device, theta, layer, estimator, kinetic, frobenius);
        flow.Dynamics.DrawNoise(new Random(5));
        var width = flow.Dynamics.Dimension;
        var y = Augmented(Z, width - D);
        var random = new Random(6);
        var a = Enumerable.Range(0, Rows * width).Select(_ => 2 * random.NextDouble() - 1).ToArray();

        var (f, aY, aTheta, aT) = flow.Vjp(Time, y, a, sumRows: false);
        var (_, summedY, summed, summedT) = flow.Vjp(Time, y, a, sumRows: true);

        Assert.Equal(flow.Evaluate(Time, y), f);
        for (var r = 0; r < Rows; r++)
        {
            var row = r;
            double Loss(double[] p, double[] t, double[] state)
            {
                using var shifted = new Flow(cpu.Device, p, layer, estimator, kinetic, frobenius);
                shifted.Dynamics.DrawNoise(new Random(5));
                var g = shifted.Evaluate(t, state);
                return Enumerable.Range(0, width).Sum(k => a[row * width + k] * g[row * width + k]);
            }
            for (var k = 0; k < width; k++)
                AssertClose(k < D ? CentralDifference.Of(h => Loss(theta, Time, CentralDifference.Shifted(y, row * width + k, h)), 0, 1e-4) : 0, aY[r * width + k]);
            AssertClose(CentralDifference.Of(h => Loss(theta, CentralDifference.Shifted(Time, row, h), y), 0, 1e-4), aT[r]);
            foreach (var k in Enumerable.Range(0, theta.Length).Where(k => k % 7 == r || k == theta.Length - 1))
                AssertClose(CentralDifference.Of(h => Loss(CentralDifference.Shifted(theta, k, h), Time, y), 0, 1e-4), aTheta[r * theta.Length + k]);
        }
        for (var k = 0; k < theta.Length; k++)
            AssertClose(Enumerable.Range(0, Rows).Sum(r => aTheta[r * theta.Length + k]), summed[k]);
        Assert.Equal(aY, summedY);
        Assert.Equal(aT, summedT);
    }

    [Theory]
    [InlineData(TraceEstimator.Exact)]
    [InlineData(TraceEstimator.Rademacher)]
    public void The_jvp_matches_central_differences(TraceEstimator estimator)
    {
        var theta = Theta(MlpLayer.ConcatSquash, seed: 7);
        using var flow = new Flow(cpu.Device, theta, MlpLayer.ConcatSquash, estimator, kinetic: true, frobenius: true);
        flow.Dynamics.DrawNoise(new Random(8));
        var y = Augmented(Z, 3);
        var random = new Random(9);
        var v = Enumerable.Range(0, Rows * 6).Select(_ => 2 * random.NextDouble() - 1).ToArray();

        var jv = flow.Jvp(Time, y, v);

        var expected = CentralDifference.Of(h => flow.Evaluate(Time, y.Zip(v, (x, dx) => x + h * dx).ToArray()), 1e-4);
        for (var k = 0; k < jv.Length; k++)
            AssertClose(expected[k], jv[k]);
    }

    // The direct launcher runs the twin on spans (CnfLanes), ILGPU's the kernels; rows at one time share their gates.
    [Theory]
    [InlineData(MlpLayer.ConcatSquash, TraceEstimator.Exact)]
    [InlineData(MlpLayer.ConcatSquash, TraceEstimator.Rademacher)]
    [InlineData(MlpLayer.ConcatLinear, TraceEstimator.Gaussian)]
    public void The_twin_on_the_direct_launcher_and_the_kernels_on_ilgpus_cpu_accelerator_agree(MlpLayer layer, TraceEstimator trace)
    {
        using var accelerator = new AcceleratorDevice();
        var theta = Theta(layer, seed: 10);
        using var direct = new Flow(cpu.Device, theta, layer, trace, kinetic: true, frobenius: true);
        using var ilgpu = new Flow(accelerator.Device, theta, layer, trace, kinetic: true, frobenius: true);
        direct.Dynamics.DrawNoise(new Random(11));
        ilgpu.Dynamics.DrawNoise(new Random(11));
        double[] time = [0.3, 0.3, 0.3, -0.2];
        var y = Augmented(Z, 3);
        var a = Enumerable.Range(0, Rows * 6).Select(k => Math.Sin(k + 1.0)).ToArray();

        Assert.Equal(direct.Evaluate(time, y), ilgpu.Evaluate(time, y), new Tolerance(1e-12));
        foreach (var sumRows in new[] { true, false })
        {
            var expected = direct.Vjp(time, y, a, sumRows);
            var actual = ilgpu.Vjp(time, y, a, sumRows);
            foreach (var (x, z) in new[] { (expected.F, actual.F), (expected.AY, actual.AY), (expected.ATheta, actual.ATheta), (expected.AT, actual.AT) })
                Assert.Equal(x, z, new Tolerance(1e-12));
        }
    }

    [Theory]
    [InlineData(nameof(CnfKernels.Evaluate))]
    [InlineData(nameof(CnfKernels.Vjp))]
    [InlineData(nameof(CnfKernels.Jvp))]
    [InlineData(nameof(CnfKernels.SumSlices))]
    [InlineData(nameof(CnfKernels.Transpose))]
    public void Every_kernel_compiles_for_ptx_and_opencl(string name)
    {
        var method = typeof(CnfKernels).GetMethod(name)!;
        foreach (var (scalar, precision) in new[] { (typeof(float), typeof(Float32)), (typeof(double), typeof(Float64)) })
        {
            OfflineCompile.ForPtxAndOpenCL(method.GetGenericArguments().Length == 1 ? method.MakeGenericMethod(scalar) : method.MakeGenericMethod(scalar, precision, typeof(Tanh)));
        }
    }

    // The Jacobian of row r's f by central differences, [d, d].
    private double[,] Jacobian(Flow flow, int r, double[] theta, MlpLayer layer)
    {
        var jacobian = new double[D, D];
        var width = flow.Dynamics.Dimension;
        var y = Augmented(Z, width - D);
        for (var k = 0; k < D; k++)
        {
            var column = CentralDifference.Of(h => flow.Evaluate(Time, CentralDifference.Shifted(y, r * width + k, h)), 1e-4);
            for (var i = 0; i < D; i++)
                jacobian[i, k] = column[r * width + i];
        }
        return jacobian;
    }

    private static double[] Theta(MlpLayer layer, int seed) =>
        MlpDynamics<double, Tanh>.InitialParameters(Widths, seed, layer).Select(x => 2 * x).ToArray();

    // The rows of z, each followed by `extra` values of the log-density and regularizer states.
    private static double[] Augmented(double[] z, int extra) =>
        [.. Enumerable.Range(0, z.Length / D).SelectMany(r => z.Skip(r * D).Take(D).Concat(Enumerable.Range(0, extra).Select(k => 0.25 * (k + 1))))];

    // Equal within an absolute tolerance: the twin sums in lanes, the kernels in order.
    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double value) => 0;
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-7 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    // A flow's dynamics over host arrays.
    private sealed class Flow : IDisposable
    {
        private readonly OdeDevice _device;
        private readonly MemoryBuffer1D<double, Stride1D.Dense> _theta;

        public Flow(OdeDevice device, double[] theta, MlpLayer layer, TraceEstimator trace, bool kinetic, bool frobenius, int rows = Rows)
        {
            _device = device;
            _theta = device.Upload(theta);
            Dynamics = new CnfDynamics<double, Tanh>(device, rows, Widths, _theta.View, layer, trace, kinetic, frobenius);
        }

        public CnfDynamics<double, Tanh> Dynamics { get; }

        public double[] Evaluate(double[] time, double[] y)
        {
            using var t = _device.Upload(time);
            using var state = _device.Upload(y);
            using var dy = _device.Allocate<double>(y.Length);
            Dynamics.Evaluate(t.View, state.View, dy.View);
            return _device.Download<double>(dy.View);
        }

        public (double[] F, double[] AY, double[] ATheta, double[] AT) Vjp(double[] time, double[] y, double[] a, bool sumRows)
        {
            using var t = _device.Upload(time);
            using var state = _device.Upload(y);
            using var cotangent = _device.Upload(a);
            using var f = _device.Allocate<double>(y.Length);
            using var aY = _device.Allocate<double>(y.Length);
            using var aTheta = _device.Allocate<double>((sumRows ? 1 : Dynamics.Rows) * (long)Dynamics.ParameterCount);
            using var aT = _device.Allocate<double>(Dynamics.Rows);
            Dynamics.Vjp(t.View, state.View, cotangent.View, f.View, aY.View, aTheta.View, aT.View, sumRows);
            return (_device.Download<double>(f.View), _device.Download<double>(aY.View), _device.Download<double>(aTheta.View), _device.Download<double>(aT.View));
        }

        public double[] Jvp(double[] time, double[] y, double[] v)
        {
            using var t = _device.Upload(time);
            using var state = _device.Upload(y);
            using var tangent = _device.Upload(v);
            using var jv = _device.Allocate<double>(y.Length);
            Dynamics.Jvp(t.View, state.View, tangent.View, jv.View);
            return _device.Download<double>(jv.View);
        }

        public void Dispose()
        {
            Dynamics.Dispose();
            _theta.Dispose();
        }
    }
}
