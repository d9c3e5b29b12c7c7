using BenchmarkDotNet.Attributes;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Neural;

namespace OdeGpu.Bench;

/// <summary>
/// N2's forward solve on the CPU, warm: an MLP 4-32-32-4 with softplus (<see cref="MlpDynamics{T, TActivation}"/>,
/// PyTorch's initialization, seed 0), float32, Dopri5 at rtol = atol = 1e-6 with the integral controller (torchdiffeq's
/// dopri5 controls its steps so) over t in [0, 10], from normal initial states,
/// with one step size for the whole batch (torchdiffeq's way) or one per row.
/// </summary>
[ShortRunJob]
public class N2NeuralBenchmarks
{
    private static readonly int[] Widths = [4, 32, 32, 4];
    private OdeDevice _device = null!;
    private MlpDynamics<float, Softplus> _mlp = null!;
    private float[,] _y0 = null!;
    private SolveOptions _options = null!;

    /// <summary>Rows.</summary>
    [Params(64, 65536)]
    public int Batch { get; set; }

    /// <summary>One step size for the whole batch.</summary>
    [Params(true, false)]
    public bool SharedStep { get; set; }

    /// <summary>Builds the network and runs one solve so that kernels are compiled before timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        _mlp = new MlpDynamics<float, Softplus>(_device, Batch, Widths, MlpDynamics<float, Softplus>.InitialParameters(Widths, seed: 0));
        var random = new Random(0);
        _y0 = new float[Batch, 4];
        for (var r = 0; r < Batch; r++)
            for (var d = 0; d < 4; d++)
                _y0[r, d] = (float)Gaussian.Next(random);
        _options = new SolveOptions { Controller = new IntegralController(1e-6, 1e-6), SharedStep = SharedStep };
        Forward();
    }

    /// <summary>Frees the network and the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _mlp.Dispose();
        _device.Dispose();
    }

    /// <summary>The forward solve to t = 10; returns the mean evaluations per row.</summary>
    [Benchmark]
    public double Forward() => Ode.Solve(_mlp, _y0, 0, 10, _options).Statistics.Evaluations.Average();
}
