using System.Diagnostics;
using System.Runtime.InteropServices;
using OdeGpu.Cli;
using OdeGpu.Cli.Output;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Cli;

/// <summary>An interrupted solve stops, exits with the shell's code for the signal and leaves no file behind.</summary>
public sealed class InterruptionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_writer_that_fails_leaves_neither_the_file_nor_its_temporary()
    {
        var path = Path.Combine(_directory, "out.csv");

        await Assert.ThrowsAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(path, async stream =>
        {
            await stream.WriteAsync(new byte[4096], TestContext.Current.CancellationToken);
            throw new OperationCanceledException();
        }));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Theory]
    [InlineData(PosixSignal.SIGINT, 130, "csv")]
    [InlineData(PosixSignal.SIGTERM, 143, "parquet")]
    public async Task A_signalled_solve_exits_with_the_shells_code_and_writes_nothing(PosixSignal signal, int exitCode, string format)
    {
        using var interruption = new Interruption();
        interruption.Raise(signal);
        var error = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--device", "cpu",
            "--out", Path.Combine(_directory, $"lorenz.{format}"), "--stats", Path.Combine(_directory, "lorenz.json")], new StringWriter(), error, false, interruption);

        Assert.Equal(exitCode, code);
        Assert.Equal($"odegpu: interrupted by {signal}; stopped the solve and removed the unfinished output{Environment.NewLine}", error.ToString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public async Task SIGTERM_stops_a_running_odegpu_and_removes_its_temporary_file()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "sends a POSIX signal with kill");
        var timeout = TestContext.Current.CancellationToken;
        using var odegpu = StartOdegpu("solve", "lorenz", "--y0", "1,0,0", "--times", "0,1e7", "--max-steps", "2000000000", "--device", "cpu",
            "--out", Path.Combine(_directory, "endless.csv"));
        try
        {
            // The temporary file appears when the solve starts writing.
            while (!Directory.EnumerateFiles(_directory, ".endless.csv.*.tmp").Any())
            {
                if (odegpu.HasExited)
                    Assert.Fail($"odegpu ended before it was signalled: {await odegpu.StandardError.ReadToEndAsync(timeout)}");
                await Task.Delay(50, timeout);
            }
            using (var kill = Process.Start("kill", ["-TERM", odegpu.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(timeout);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(timeout);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            await odegpu.WaitForExitAsync(limit.Token);

            Assert.Equal(143, odegpu.ExitCode);
            Assert.Contains("interrupted by SIGTERM", await odegpu.StandardError.ReadToEndAsync(timeout));
            Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
        }
        finally
        {
            if (!odegpu.HasExited)
                odegpu.Kill(entireProcessTree: true);
        }
    }

    private static Process StartOdegpu(params string[] args) => Process.Start(SiblingProgram.StartInfo("odegpu", args))!;
}
