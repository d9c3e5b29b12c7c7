using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Simd;

/// <summary>
/// Nothing on the SIMD path assumes 8 lanes: its tests run again in a child process whose <see cref="Vector{T}"/> is
/// 128 bits (4 floats, 2 doubles) and, where the CPU has AVX-512, 512 bits (16 floats, 8 doubles), the width .NET
/// gives only when asked (DOTNET_MaxVectorTBitWidth, read when the runtime starts).
/// </summary>
public sealed class LaneWidthTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    // The tests that depend on the width: this namespace's (with this class's fact, which checks the width the child
    // got) and the bench's report of the lanes.
    private static readonly string[] WidthTests = ["OdeGpu.Tests.Simd.*", "OdeGpu.Tests.Cli.BenchCommandTests.Simd_*"];

    [Theory]
    [InlineData(128)]
    [InlineData(512)]
    public void The_simd_tests_pass_at_another_vector_width(int bits)
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(SimdWidth.Variable) is not null, $"this run's width was chosen ({SimdWidth.Variable})");
        Assert.SkipWhen(bits == VectorWidth.Current, $"the suite itself runs at {bits} bits");
        Assert.SkipWhen(bits == 512 && !Vector512.IsHardwareAccelerated, "this CPU has no accelerated 512-bit vectors");

        var (code, output) = RunTests(bits);

        Assert.True(code == 0, $"the SIMD tests at {bits} bits failed:\n{Tail(output)}");
        Assert.Matches(@"Total: [1-9]\d+, Errors: 0, Failed: 0", output);
    }

    [Fact]
    public void The_run_names_its_vector_width_and_the_cpus_wider_one()
    {
        var solution = EnsembleSolver.Solve(cpu.Device, default(Lorenz<float>), [new Vec3<float>(1, 0, 0)], new float[,] { { 10, 28, 8f / 3 } },
            [0, 0.1], new SolveOptions { Method = Methods.Rk4, Controller = new Control.FixedStep(0.01) });

        if (int.TryParse(Environment.GetEnvironmentVariable(SimdWidth.Variable), out var asked) && asked >= 128)
            Assert.Equal(Math.Min(asked, VectorWidth.Widest), VectorWidth.Current);
        Assert.Equal(Vector<float>.Count, solution.Simd!.Lanes);
        Assert.Equal(VectorWidth.Wider, solution.Simd.WiderBits);
        Assert.Equal(VectorWidth.Wider is { } bits ? $"simd ({Vector<float>.Count} lanes; {SimdWidth.Variable}={bits} makes them {bits / 32})" : $"simd ({Vector<float>.Count} lanes)",
            solution.Simd.ToString());
    }

    // The test program itself, with the width tests only, at the width given.
    private static (int Code, string Output) RunTests(int bits)
    {
        var start = SiblingProgram.StartInfo("OdeGpu.Tests", ["-noColor", .. WidthTests.SelectMany(pattern => new[] { "-method", pattern })]);
        start.Environment[SimdWidth.Variable] = bits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(40));
}
