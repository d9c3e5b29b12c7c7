using BenchmarkDotNet.Attributes;
using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Gradients;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Bench;

/// <summary>
/// G1 in the batched mode on the CPU, warm: the gradient of sum ||y(1)||^2 with respect to rho on the Lorenz ensemble
/// (rho = linspace(0, 21, N), u0 = (1, 0, 0), t in [0, 1], float64, Dopri5, atol = 1e-3 rtol), forward and backward
/// with a reused <see cref="AdjointSolver{T}"/>, for each gradient method. bench/peers/torchdiffeq_g1.py is the peer.
/// </summary>
[ShortRunJob]
public class G1GradientBenchmarks
{
    private OdeDevice _device = null!;
    private DifferentiableSystem<double, Vec3<double>, Lorenz<double>> _dynamics = null!;
    private AdjointSolver<double> _solver = null!;
    private double[,] _y0 = null!;
    private double[,,] _cotangents = null!;

    /// <summary>Trajectories.</summary>
    [Params(2048)]
    public int N { get; set; }

    /// <summary>Relative tolerance of both solves.</summary>
    [Params(1e-3, 1e-6, 1e-8)]
    public double Rtol { get; set; }

    /// <summary>The gradient method.</summary>
    [Params("continuous", "discrete")]
    public string Method { get; set; } = "continuous";

    /// <summary>Builds the problem and runs one gradient, so that kernels are compiled before timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        var parameters = new double[N, 3];
        _y0 = new double[N, 3];
        for (var r = 0; r < N; r++)
            (parameters[r, 0], parameters[r, 1], parameters[r, 2], _y0[r, 0]) = (10, 21.0 * r / (N - 1), 8.0 / 3, 1);
        _dynamics = new DifferentiableSystem<double, Vec3<double>, Lorenz<double>>(_device, default, parameters);
        var options = new SolveOptions
        {
            Controller = new PIController(Rtol, 1e-3 * Rtol),
            Adjoint = Method == "discrete" ? new DiscreteAdjoint() : new ContinuousAdjoint(),
        };
        _solver = new AdjointSolver<double>(_dynamics, options);
        _cotangents = new double[N, 2, 3];
        Gradient();
    }

    /// <summary>Frees the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _solver.Dispose();
        _dynamics.Dispose();
        _device.Dispose();
    }

    /// <summary>Forward solve, dL/dy(1) = 2 y(1), backward pass, gradients downloaded.</summary>
    [Benchmark]
    public double Gradient()
    {
        var forward = _solver.Solve(_y0, [0, 1]);
        for (var r = 0; r < N; r++)
            for (var d = 0; d < 3; d++)
                _cotangents[r, 1, d] = 2 * forward[r, 1, d];
        return _solver.Backward(_cotangents).Parameters[N - 1, 1];
    }
}
