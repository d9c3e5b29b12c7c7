using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// The plumbing between layers (<see cref="BufferKernels"/>): sums of buffers on the kernel and on the SIMD twin of
/// <see cref="SimdPrimitives.Add{T}"/>, the target one of the operands; copies of rows between row strides; both kernels
/// compiled for PTX and OpenCL.
/// </summary>
public sealed class BufferKernelTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_sum_may_overwrite_its_first_operand(bool twin)
    {
        var device = cpu.Device;
        var length = (1 << 16) + 5;
        var a = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
        var b = Enumerable.Range(0, length).Select(i => 0.5f * i).ToArray();
        using var us = device.Upload(a);
        using var vs = device.Upload(b);
        var args = new BufferArgs<float> { A = us.View, B = vs.View, Target = us.View };

        if (twin)
            SimdPrimitives.Add(device, args, length);
        else
            device.LaunchElements(BufferKernels.Add<float>, length, args);

        Assert.Equal(a.Zip(b, (p, q) => p + q), device.Download<float>(us.View));
    }

    [Fact]
    public void Rows_are_copied_between_strides()
    {
        var device = cpu.Device;
        using var source = device.Upload(Enumerable.Range(0, 12).Select(i => (double)i).ToArray());
        using var target = device.Upload(new double[6]);

        device.LaunchElements(BufferKernels.CopyRows<double>, 6, new BufferArgs<double> { A = source.View, Target = target.View, Width = 3, AStride = 6, AOffset = 3, TargetStride = 3 });

        Assert.Equal([3.0, 4, 5, 9, 10, 11], device.Download<double>(target.View));
    }

    [Theory]
    [InlineData(nameof(BufferKernels.Add))]
    [InlineData(nameof(BufferKernels.CopyRows))]
    public void Both_kernels_compile_for_ptx_and_opencl(string name)
    {
        OfflineCompile.ForPtxAndOpenCL(typeof(BufferKernels).GetMethod(name)!.MakeGenericMethod(typeof(float)));
        OfflineCompile.ForPtxAndOpenCL(typeof(BufferKernels).GetMethod(name)!.MakeGenericMethod(typeof(double)));
    }
}
