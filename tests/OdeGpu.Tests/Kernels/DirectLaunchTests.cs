using System.Reflection;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Kernels;

/// <summary>The direct CPU launcher's small-launch path: what a batched step pays a few dozen times.</summary>
public sealed class DirectLaunchTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Fact]
    public void Small_direct_launches_allocate_nothing_per_launch_on_the_host()
    {
        using var counters = cpu.Device.Allocate<int>(5);
        var view = counters.View;
        Action<Index1D, ArrayView<int>> kernel = Clear;
        cpu.Device.Launch(kernel, 5, view); // JIT and statics first

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            cpu.Device.Launch(kernel, 5, view);

        // a closure per launch was 56 kB here; the runtime's tiering may still allocate a few bytes once
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1024);
    }

    /// <summary>The kernels a batched step launches have bodies the direct launcher calls with the arguments by reference.</summary>
    [Theory]
    [InlineData(typeof(StageKernels), "Combine")]
    [InlineData(typeof(SystemKernels), "Evaluate")]
    [InlineData(typeof(ErrorKernels), "Propose")]
    [InlineData(typeof(ErrorKernels), "RowNorm")]
    [InlineData(typeof(ControlKernels), "Control")]
    [InlineData(typeof(DenseKernels), "Interpolate")]
    [InlineData(typeof(CommitKernels), "Commit")]
    [InlineData(typeof(OdeGpu.Adjoint.AdjointKernels), "Split")]
    [InlineData(typeof(OdeGpu.Adjoint.AdjointKernels), "Join")]
    [InlineData(typeof(OdeGpu.Adjoint.DiscreteAdjointKernels), "StageState")]
    [InlineData(typeof(OdeGpu.Adjoint.DiscreteAdjointKernels), "Accumulate")]
    [InlineData(typeof(OdeGpu.Adjoint.DiscreteAdjointKernels), "AccumulateParameters")]
    public void The_per_step_kernels_have_a_by_reference_body(Type kernels, string name)
    {
        var kernel = kernels.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
        var body = kernels.GetMethod(name + "At", BindingFlags.NonPublic | BindingFlags.Static);

        Assert.NotNull(body);
        var arguments = body.GetParameters()[1];
        Assert.True(arguments.IsIn, $"{name}At must take its arguments as 'in'");
        Assert.Equal(kernel.GetParameters()[1].ParameterType.Name, arguments.ParameterType.GetElementType()!.Name);
        Assert.Contains(typeof(IViewAccess), body.GetGenericArguments()[^1].GetGenericParameterConstraints());
    }

    [Fact]
    public void The_host_view_access_refuses_an_index_outside_the_view()
    {
        using var buffer = cpu.Device.Allocate<int>(8);
        ArrayView<int> view = buffer.View.SubView(2, 3);

        HostViewAccess.At(view, 2) = 7;
        var error = Assert.Throws<IndexOutOfRangeException>(() => HostViewAccess.At(view, 3));

        Assert.Equal(7, buffer.View[4]);
        Assert.Contains("index 3 is outside a view of 3 elements", error.Message);
    }

    private static void Clear(Index1D index, ArrayView<int> values) => values[index] = 0;

    [Fact]
    public void Read_copies_a_view_into_an_existing_array_on_both_launchers()
    {
        using var accelerator = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Accelerator);
        foreach (var device in new[] { cpu.Device, accelerator })
        {
            using var buffer = device.Upload(new[] { 3, 1, 4 });
            var target = new[] { 0, 0, 0, 9 };

            device.Read(buffer.View, target);
            var error = Assert.Throws<ArgumentException>(() => device.Read(buffer.View, new int[2]));

            Assert.Equal([3, 1, 4, 9], target);
            Assert.Equal("target", error.ParamName);
        }
    }
}
