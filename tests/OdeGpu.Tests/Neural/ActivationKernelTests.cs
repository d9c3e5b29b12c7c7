using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// An activation over a buffer (<see cref="ActivationKernels"/>): ReLU's values and VJP by definition, on the kernels
/// and on the SIMD twin of <see cref="SimdPrimitives.Activate{T, TActivation}"/>, past one piece of the twin's
/// partition; both kernels compiled for PTX and OpenCL.
/// </summary>
public sealed class ActivationKernelTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Relu_passes_the_positive_inputs_and_their_cotangents(bool twin)
    {
        var device = cpu.Device;
        var random = new Random(4);
        var length = (1 << 16) + 37;
        var x = Enumerable.Range(0, length).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        var yBar = Enumerable.Range(0, length).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        using var xs = device.Upload(x);
        using var bars = device.Upload(yBar);
        using var y = device.Allocate<float>(length);
        using var xBar = device.Allocate<float>(length);
        var args = new ActivationArgs<float> { X = xs.View, Y = y.View, YBar = bars.View, XBar = xBar.View };

        if (twin)
        {
            SimdPrimitives.Activate<float, Relu>(device, args, length);
            SimdPrimitives.ActivationAdjoint<float, Relu>(device, args, length);
        }
        else
        {
            device.LaunchElements(ActivationKernels.Forward<float, Relu>, length, args);
            device.LaunchElements(ActivationKernels.Adjoint<float, Relu>, length, args);
        }

        Assert.Equal(x.Select(v => Math.Max(v, 0f)), device.Download<float>(y.View));
        Assert.Equal(x.Zip(yBar, (v, b) => v > 0 ? b : 0f), device.Download<float>(xBar.View));
    }

    [Theory]
    [InlineData(nameof(ActivationKernels.Forward))]
    [InlineData(nameof(ActivationKernels.Adjoint))]
    public void Both_kernels_compile_for_ptx_and_opencl(string name)
    {
        OfflineCompile.ForPtxAndOpenCL(typeof(ActivationKernels).GetMethod(name)!.MakeGenericMethod(typeof(float), typeof(Relu)));
        OfflineCompile.ForPtxAndOpenCL(typeof(ActivationKernels).GetMethod(name)!.MakeGenericMethod(typeof(double), typeof(Tanh)));
    }
}
