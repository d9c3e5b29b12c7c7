using BenchmarkDotNet.Attributes;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;

namespace OdeGpu.Bench;

/// <summary>
/// The per-solve cost that a training loop pays thousands of times: one batched Dopri5 solve of 20 Van der Pol rows
/// (mu = 1, 2 states, x0 from 1 to 1.95) over [0, 7] at rtol = atol = 1e-6, about 50 steps, on the CPU's direct launcher.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class SmallSolveBenchmarks
{
    private const int Rows = 20;
    private static readonly double[] Times = [0, 7];
    private static readonly SolveOptions Options = new() { Method = Methods.Dopri5, Controller = new PIController(1e-6, 1e-6) };
    private OdeDevice _device = null!;
    private SystemDynamics<double, Vec2<double>, VanDerPol<double>> _dynamics = null!;
    private double[,] _y0 = null!;
    private BatchedSolver<double> _solver = null!;
    private ILGPU.Runtime.MemoryBuffer1D<double, ILGPU.Stride1D.Dense> _y0OnDevice = null!;

    /// <summary>Opens the CPU device and uploads the parameters.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        var parameters = new double[Rows, 1];
        _y0 = new double[Rows, 2];
        for (var r = 0; r < Rows; r++)
            (parameters[r, 0], _y0[r, 0]) = (1, 1 + 0.05 * r);
        _dynamics = new SystemDynamics<double, Vec2<double>, VanDerPol<double>>(_device, default, parameters);
        _solver = new BatchedSolver<double>(_dynamics, Options);
        _y0OnDevice = _device.Upload(_y0.Cast<double>().ToArray());
    }

    /// <summary>Frees the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _y0OnDevice.Dispose();
        _solver.Dispose();
        _dynamics.Dispose();
        _device.Dispose();
    }

    /// <summary>A one-off solve: buffers allocated, inputs uploaded and the solution downloaded every time.</summary>
    [Benchmark(Baseline = true)]
    public double OneOff() => BatchedSolver.Solve(_dynamics, _y0, Times, Options).Values[2];

    /// <summary>The reusable solver from host arrays: the buffers are allocated once, y0 uploaded, the solution downloaded.</summary>
    [Benchmark]
    public double Reused() => _solver.Solve(_y0, Times).Values[2];

    /// <summary>The reusable solver on the device: states in and out of device buffers, nothing downloaded.</summary>
    [Benchmark]
    public void ReusedOnDevice() => _solver.SolveOnDevice(_y0OnDevice.View, Times);
}
