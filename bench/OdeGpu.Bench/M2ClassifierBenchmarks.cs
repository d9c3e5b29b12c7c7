using BenchmarkDotNet.Attributes;
using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Neural.Classifiers;
using OdeGpu.Precision;

namespace OdeGpu.Bench;

/// <summary>
/// M2's training iteration on the CPU, warm: the forward pass, the loss and the backward pass of the paper's Table 1
/// models at width 64 on a batch of 128 drawn 28 x 28 images (PyTorch's initialization, seed 0), as
/// <c>classify train</c> takes them; the ODE blocks by Dopri5 at rtol = atol = 1e-3 with one step size for the batch.
/// torchdiffeq's per-iteration figures on the same machine are in bench/RESULTS.md (M2).
/// </summary>
[ShortRunJob]
public class M2ClassifierBenchmarks
{
    private const int Batch = 128;
    private OdeDevice _device = null!;
    private ImageClassifier<float, Float32> _model = null!;
    private int[] _labels = null!;

    /// <summary>The model.</summary>
    [Params(ClassifierKind.ResNet, ClassifierKind.RkNet, ClassifierKind.OdeNet)]
    public ClassifierKind Model { get; set; }

    /// <summary>Builds the model, uploads the batch and runs one iteration so that kernels are compiled before timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Direct);
        var architecture = new ClassifierArchitecture(Model);
        _model = new ImageClassifier<float, Float32>(_device, architecture, Batch, architecture.InitialParameters(seed: 0));
        var random = new Random(0);
        _model.Images.CopyFromCPU([.. Enumerable.Range(0, Batch * 784).Select(_ => (float)random.NextDouble())]);
        _labels = [.. Enumerable.Range(0, Batch).Select(r => r % ClassifierArchitecture.Classes)];
        Iteration();
    }

    /// <summary>Frees the model and the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _device.Dispose();
    }

    /// <summary>One iteration without the optimizer's step (the parameters stay as drawn); returns the loss.</summary>
    [Benchmark]
    public double Iteration()
    {
        _model.Forward();
        var loss = _model.Loss(_labels);
        _model.Backward();
        return loss;
    }
}
