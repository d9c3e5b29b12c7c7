using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Kernels;

/// <summary>The direct host launcher and ILGPU's CPU accelerator run the same kernels and give the same bits.</summary>
public sealed class LauncherTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "dopri5", false },
        { "dopri8", false }, // extra interpolation stages and a separate f(t1, y1)
        { "tsit5", true },   // one shared step
        { "rk4", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Both_cpu_launchers_give_bit_identical_solutions(string method, bool shared)
    {
        var tableau = Methods.Parse(method);
        var options = new SolveOptions
        {
            Method = tableau,
            Controller = tableau.IsAdaptive ? new PIController(1e-7, 1e-7) : new FixedStep(0.01),
            SharedStep = shared,
        };

        var direct = Solve(CpuLauncher.Direct, options);
        var accelerator = Solve(CpuLauncher.Accelerator, options);

        Assert.Equal(direct.Values, accelerator.Values);
        Assert.Equal(direct.Status, accelerator.Status);
        Assert.Equal(direct.Statistics.Evaluations, accelerator.Statistics.Evaluations);
        Assert.Equal(direct.Statistics.AcceptedSteps, accelerator.Statistics.AcceptedSteps);
        Assert.Contains("direct", direct.Device);
        Assert.Contains("ILGPU accelerator", accelerator.Device);
    }

    private static Solution<double> Solve(CpuLauncher launcher, SolveOptions options)
    {
        using var device = OdeDevice.Open(DeviceKind.Cpu, launcher);
        return Batches.Lorenz<double>(device, 5, 0, 28, [0, 0.3, 0.6], options);
    }
}
