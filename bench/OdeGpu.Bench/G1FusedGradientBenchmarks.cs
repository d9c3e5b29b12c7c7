using BenchmarkDotNet.Attributes;
using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Bench;

/// <summary>
/// G1 in the fused ensemble mode on the CPU, warm: the same gradient as <see cref="G1GradientBenchmarks"/> by the
/// continuous adjoint per trajectory in registers (<see cref="EnsembleGradient"/>), given the cotangents 2 y(1) of the
/// forward states (the forward solve inside the gradient is the one that counts; the cotangents' solve is setup).
/// </summary>
[ShortRunJob]
public class G1FusedGradientBenchmarks
{
    private static readonly double[] Times = [0, 1];
    private OdeDevice _device = null!;
    private Vec3<double>[] _y0 = null!;
    private double[,] _parameters = null!;
    private double[,,] _cotangents = null!;
    private SolveOptions _options = null!;

    /// <summary>Trajectories.</summary>
    [Params(2048)]
    public int N { get; set; }

    /// <summary>Relative tolerance of both solves.</summary>
    [Params(1e-3, 1e-6, 1e-8)]
    public double Rtol { get; set; }

    /// <summary>Builds the problem, its cotangents, and runs one gradient so that kernels are compiled before timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        _parameters = new double[N, 3];
        for (var r = 0; r < N; r++)
            (_parameters[r, 0], _parameters[r, 1], _parameters[r, 2]) = (10, 21.0 * r / (N - 1), 8.0 / 3);
        _y0 = Enumerable.Repeat(new Vec3<double>(1, 0, 0), N).ToArray();
        _options = new SolveOptions { Controller = new PIController(Rtol, 1e-3 * Rtol) };
        var forward = Ode.Solve(_device, default(Lorenz<double>), _y0, _parameters, 0, 1, _options);
        _cotangents = new double[N, 2, 3];
        for (var r = 0; r < N; r++)
            for (var d = 0; d < 3; d++)
                _cotangents[r, 1, d] = 2 * forward[r, 0, d];
        Gradient();
    }

    /// <summary>Frees the device.</summary>
    [GlobalCleanup]
    public void Cleanup() => _device.Dispose();

    /// <summary>Forward solve saving at the output times, backward solve of the augmented state, gradients downloaded.</summary>
    [Benchmark]
    public double Gradient() =>
        EnsembleGradient.Of(_device, default(Lorenz<double>), _y0, _parameters, Times, _cotangents, _options).Parameters[N - 1, 1];
}
