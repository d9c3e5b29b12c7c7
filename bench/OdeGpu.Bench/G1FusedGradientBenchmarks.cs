using BenchmarkDotNet.Attributes;
using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Bench;

/// <summary>
/// G1 in the fused ensemble mode on the CPU, warm: the same gradient as <see cref="G1GradientBenchmarks"/> per
/// trajectory in one thread (<see cref="EnsembleGradient"/>), by the continuous adjoint (state, adjoint and parameter
/// adjoint in registers) or the discrete adjoint (each thread's steps recorded, then replayed), with the loss
/// sum ||y(1)||^2 evaluated on the gradient's own forward solve.
/// </summary>
[ShortRunJob]
public class G1FusedGradientBenchmarks
{
    private static readonly double[] Times = [0, 1];
    private OdeDevice _device = null!;
    private Vec3<double>[] _y0 = null!;
    private double[,] _parameters = null!;
    private SolveOptions _options = null!;

    /// <summary>Trajectories.</summary>
    [Params(2048, 32768)]
    public int N { get; set; }

    /// <summary>The gradient method.</summary>
    [Params("continuous", "discrete")]
    public string Method { get; set; } = "";

    /// <summary>Relative tolerance of both solves.</summary>
    [Params(1e-3, 1e-6, 1e-8)]
    public double Rtol { get; set; }

    /// <summary>Builds the problem and runs one gradient so that kernels are compiled before timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        _parameters = new double[N, 3];
        for (var r = 0; r < N; r++)
            (_parameters[r, 0], _parameters[r, 1], _parameters[r, 2]) = (10, 21.0 * r / (N - 1), 8.0 / 3);
        _y0 = Enumerable.Repeat(new Vec3<double>(1, 0, 0), N).ToArray();
        _options = new SolveOptions
        {
            Controller = new PIController(Rtol, 1e-3 * Rtol),
            Adjoint = Method == "discrete" ? new Gradients.DiscreteAdjoint() : new Gradients.ContinuousAdjoint(),
        };
        Gradient();
    }

    /// <summary>Frees the device.</summary>
    [GlobalCleanup]
    public void Cleanup() => _device.Dispose();

    /// <summary>Forward solve, the loss and its cotangents, backward pass, gradients downloaded.</summary>
    [Benchmark]
    public double Gradient() =>
        EnsembleGradient.Of(_device, default(Lorenz<double>), _y0, _parameters, Times, new SumOfSquares<double>(), _options).Gradient.Parameters[N - 1, 1];
}
