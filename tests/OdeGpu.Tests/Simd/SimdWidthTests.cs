using System.Diagnostics;
using System.Numerics;
using OdeGpu.Ensemble;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Simd;

/// <summary>On a CPU with AVX-512 a restart gives the SIMD groups 512 bits, unless the user set the width; odegpu solve restarts so.</summary>
public sealed class SimdWidthTests
{
    [Theory]
    [InlineData(true, 256, false, true)]
    [InlineData(true, 512, false, false)] // already as wide as the CPU
    [InlineData(true, 256, true, false)] // the user chose a width
    [InlineData(false, 256, false, false)] // no AVX-512
    public void A_restart_widens_only_narrower_vectors_than_the_CPUs_and_never_over_the_users_setting(bool accelerated512, int vectorBits, bool widthSet, bool widens) =>
        Assert.Equal(widens, SimdWidth.Widens(accelerated512, vectorBits, widthSet));

    [Fact]
    public async Task Odegpu_solves_on_the_CPUs_widest_vectors()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "restarts through /proc and execve");
        var timeout = TestContext.Current.CancellationToken;
        using var odegpu = Process.Start(SiblingProgram.StartInfo("odegpu", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1",
            "--precision", "float32", "--device", "cpu"))!;
        var output = await odegpu.StandardOutput.ReadToEndAsync(timeout);
        await odegpu.WaitForExitAsync(timeout);

        // A width set for this test run (LaneWidthTests' runs) is the program's too, and then nothing widens.
        var lanes = SimdWidth.CanWiden ? 16 : Vector<float>.Count;
        Assert.Equal(0, odegpu.ExitCode);
        Assert.Contains($"simd ({lanes} lanes", output, StringComparison.Ordinal);
    }
}
