using System.Text.Json;
using OdeGpu.Cli;

namespace OdeGpu.Tests.Cli;

/// <summary><c>odegpu bench ensemble</c> on a tiny size: every column is filled and the errors are those of the method.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-bench-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task L1a_and_v1_report_time_rate_work_error_and_limit()
    {
        var json = Path.Combine(_directory, "bench.json");
        var output = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["bench", "ensemble", "--device", "cpu", "--min-n", "8", "--max-n", "8", "--workloads", "l1a,v1", "--out", json],
            output, new StringWriter(), interactive: false);

        Assert.Equal(0, code);
        Assert.Contains("traj-steps/s", output.ToString());
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var rows = document.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2 + 4, rows.Count); // L1(a) with Tsit5 and RK4, V1 two ways for two mu distributions
        var l1 = rows.Where(r => r.GetProperty("Workload").GetString() == "L1a").ToList();
        Assert.All(l1, r =>
        {
            Assert.Equal(8, r.GetProperty("N").GetInt32());
            Assert.True(r.GetProperty("Seconds").GetDouble() > 0);
            // f(t0, y0), then four (RK4) or six (Tsit5) evaluations per step
            Assert.Equal(8 * 1000 * (r.GetProperty("Method").GetString() == "rk4" ? 4 : 6) + 8, r.GetProperty("Evaluations").GetInt64());
            Assert.InRange(r.GetProperty("Error").GetDouble(), 0, 1e-4); // float32 at dt = 0.001
            Assert.True(r.GetProperty("LimitRatio").GetDouble() > 0);
        });
        var v1 = rows.Where(r => r.GetProperty("Workload").GetString() == "V1").Select(r => r.GetProperty("Note").GetString()!).ToList();
        Assert.Contains(v1, n => n.StartsWith("mu log-uniform [1, 25]: per-trajectory steps", StringComparison.Ordinal));
    }
}
