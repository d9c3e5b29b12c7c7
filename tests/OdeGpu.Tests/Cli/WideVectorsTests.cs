using System.Numerics;
using System.Runtime.Intrinsics;
using OdeGpu.Cli;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Cli;

/// <summary>On a CPU with AVX-512, odegpu's SIMD groups are 512 bits wide unless the user set the width.</summary>
public sealed class WideVectorsTests
{
    [Theory]
    [InlineData(new[] { "solve", "lorenz" }, true, 256, false, true)]
    [InlineData(new[] { "bench", "ensemble" }, true, 256, false, true)]
    [InlineData(new[] { "solve", "lorenz" }, true, 512, false, false)] // already as wide as the CPU
    [InlineData(new[] { "solve", "lorenz" }, true, 256, true, false)] // the user chose a width
    [InlineData(new[] { "solve", "lorenz" }, false, 256, false, false)] // no AVX-512
    [InlineData(new[] { "fit", "spiral" }, true, 256, false, false)] // no ensemble kernel
    [InlineData(new string[0], true, 256, false, false)]
    public void Only_an_ensemble_command_on_a_wider_CPU_restarts_and_never_over_the_users_setting(string[] args, bool accelerated512, int vectorBits, bool widthSet, bool restarts) =>
        Assert.Equal(restarts, WideVectors.Worthwhile(args, accelerated512, vectorBits, widthSet));

    [Fact]
    public async Task A_solve_runs_on_the_CPUs_widest_vectors()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "restarts through /proc and execve");
        var timeout = TestContext.Current.CancellationToken;
        using var odegpu = System.Diagnostics.Process.Start(SiblingProgram.StartInfo("odegpu", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1",
            "--precision", "float32", "--device", "cpu"))!;
        var output = await odegpu.StandardOutput.ReadToEndAsync(timeout);
        await odegpu.WaitForExitAsync(timeout);

        // A width set for this test run (LaneWidthTests' runs) is the program's too.
        var widthSet = Environment.GetEnvironmentVariable(WideVectors.Variable) is not null;
        var lanes = Vector512.IsHardwareAccelerated && !widthSet ? 16 : Vector<float>.Count;
        Assert.Equal(0, odegpu.ExitCode);
        Assert.Contains($"simd ({lanes} lanes)", output, StringComparison.Ordinal);
    }
}
