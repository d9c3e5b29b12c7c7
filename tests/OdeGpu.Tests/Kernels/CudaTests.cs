using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Kernels;

/// <summary>
/// The same solves on a CUDA device: both modes match the references, and CUDA agrees with the CPU. Skipped where no
/// CUDA device exists; run on a GPU machine with <c>dotnet OdeGpu.Tests.dll -trait device=cuda</c> (bench/gpu/run.sh).
/// </summary>
[Trait("device", "cuda")]
public sealed class CudaTests : IDisposable
{
    private readonly OdeDevice? _cuda = DeviceCatalog.Discover().Any(d => d.Kind == DeviceKind.Cuda) ? OdeDevice.Open(DeviceKind.Cuda) : null;

    public void Dispose() => _cuda?.Dispose();

    [Theory]
    [MemberData(nameof(ReferenceProblem.Names), MemberType = typeof(ReferenceProblem))]
    public void Both_modes_match_every_reference_problem_on_cuda(string name)
    {
        var cuda = Cuda();
        var problem = ReferenceProblem.Named(name);
        var options = new SolveOptions { Method = Methods.Dopri8, Controller = new PIController(1e-10, 1e-10) };

        var ensemble = problem.SolveEnsemble<double>(cuda, options);
        var batched = problem.Solve<double>(cuda, options);

        Assert.Contains("cuda", ensemble.Device);
        // Double exp, log and sqrt are software sequences on CUDA without LibDevice (ILGPU-NOTES.md): 1e-7 still holds.
        Assert.InRange(problem.NormRelativeError(ensemble), 0, 1e-7);
        Assert.InRange(problem.NormRelativeError(batched), 0, 1e-7);
    }

    [Theory]
    [InlineData("tsit5")]
    [InlineData("rk4")]
    public void Cuda_and_cpu_agree_on_a_lorenz_ensemble(string method)
    {
        var cuda = Cuda();
        var tableau = Methods.Parse(method);
        var options = new SolveOptions { Method = tableau, Controller = tableau.IsAdaptive ? new PIController(1e-8, 1e-8) : new FixedStep(0.001) };
        using var cpu = OdeDevice.Open(DeviceKind.Cpu);

        var onCuda = Batches.Lorenz<double>(cuda, 64, 0, 21, [0, 0.5, 1], options);
        var onCpu = Batches.Lorenz<double>(cpu, 64, 0, 21, [0, 0.5, 1], options);

        Assert.Equal(onCpu.Status, onCuda.Status);
        for (var i = 0; i < onCpu.Values.Length; i++)
            Assert.Equal(onCpu.Values[i], onCuda.Values[i], 1e-6 * (1 + Math.Abs(onCpu.Values[i])));
    }

    private OdeDevice Cuda()
    {
        if (_cuda is null)
            Assert.Skip("no CUDA device on this machine");
        return _cuda;
    }
}
