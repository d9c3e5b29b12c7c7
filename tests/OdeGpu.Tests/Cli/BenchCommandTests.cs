using System.Text.Json;
using System.Text.RegularExpressions;
using OdeGpu.Cli;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Cli;

/// <summary>
/// <c>odegpu bench ensemble</c> on a tiny size: every column is filled and the errors are those of the method;
/// <c>odegpu bench neural</c> on a tiny batch: one row per gradient method with the fields the issue names.
/// </summary>
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

    [Fact]
    public async Task Simd_both_measures_each_workload_on_the_scalar_and_the_simd_path_side_by_side()
    {
        var rows = await Bench("--min-n", "16", "--max-n", "16", "--workloads", "l1a", "--simd", "both");

        var simd = $"simd {System.Numerics.Vector<float>.Count}" + (VectorWidth.Wider is { } bits ? $", {bits}-bit CPU" : "");
        Assert.Equal(["scalar", simd, "scalar", simd], rows.Select(r => r.GetProperty("Path").GetString()));
        Assert.Equal(rows[0].GetProperty("Evaluations").GetInt64(), rows[1].GetProperty("Evaluations").GetInt64());
        Assert.Equal(rows[0].GetProperty("Error").GetDouble(), rows[1].GetProperty("Error").GetDouble());
    }

    [Fact]
    public async Task Any_sizes_run_from_min_n_times_four_up_to_max_n_inclusive()
    {
        var rows = await Bench("--min-n", "12", "--max-n", "100", "--workloads", "l1c");

        Assert.Equal([12, 48, 100], rows.Select(r => r.GetProperty("N").GetInt32()).Distinct());
    }

    [Fact]
    public async Task V1_runs_at_the_requested_size()
    {
        var rows = await Bench("--min-n", "16", "--max-n", "16", "--workloads", "v1");

        Assert.All(rows, r => Assert.Equal(16, r.GetProperty("N").GetInt32()));
    }

    [Fact]
    public async Task The_table_header_names_each_column_once_apart_from_its_neighbours()
    {
        var output = new StringWriter();

        await OdeGpuProgram.RunAsync(["bench", "ensemble", "--device", "cpu", "--min-n", "8", "--max-n", "8", "--workloads", "l1c"], output, new StringWriter(), interactive: false);

        var lines = output.ToString().Split(Environment.NewLine);
        var header = Regex.Split(lines[1].Trim(), " {2,}");
        var row = Regex.Split(lines[2].Trim(), " {2,}");
        Assert.Equal(["workload", "method", "precision", "N", "wall s", "kernel s", "traj-steps/s", "evaluations", "rel error", "of limit", "path", "note"], header);
        Assert.Equal(header.Length, row.Length);
    }

    [Fact]
    public async Task An_out_path_that_is_a_directory_is_refused_before_measuring()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_directory, "bench.json")).FullName;
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["bench", "ensemble", "--device", "cpu", "--out", directory], output, error, interactive: false);

        Assert.Equal(2, code);
        Assert.Contains($"--out: '{directory}' is a directory", error.ToString());
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task Neural_writes_one_row_per_batch_method_and_gradient_method_with_its_evaluations()
    {
        var json = Path.Combine(_directory, "neural.json");
        var output = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["bench", "neural", "--device", "cpu", "--batch", "3,5", "--methods", "dopri5", "--repeats", "1", "--out", json],
            output, new StringWriter(), interactive: false);

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var rows = document.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2 * 4, rows.Count); // two batches: none, discrete, continuous with the seminorm off and on
        Assert.Equal(["none", "discrete", "continuous", "continuous"], rows.Take(4).Select(r => r.GetProperty("adjoint").GetString()));
        Assert.All(rows, r =>
        {
            Assert.Equal("dopri5", r.GetProperty("method").GetString());
            Assert.True(r.GetProperty("seconds").GetDouble() > 0);
            // Dopri5 makes 6 evaluations per step, one at t0 and one for the first step size's probe
            Assert.Equal(2, r.GetProperty("nfe_forward").GetDouble() % 6);
            Assert.Equal(r.GetProperty("adjoint").GetString() == "none", r.GetProperty("nfe_backward").GetDouble() == 0);
        });
        Assert.Equal([3, 3, 3, 3, 5, 5, 5, 5], rows.Select(r => r.GetProperty("batch").GetInt32()));
        Assert.Contains("nfe bwd", output.ToString());
    }

    [Theory]
    [InlineData("--adjoints", "none,forward", "--adjoints must list some of none, discrete, continuous, but has 'forward'")]
    [InlineData("--batch", "64,0", "--batch must list positive integers, but has '0'")]
    [InlineData("--repeats", "0", "--repeats must be at least 1, but was 0")]
    public async Task Neural_refuses_bad_options_before_measuring(string option, string value, string message)
    {
        var error = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["bench", "neural", option, value], new StringWriter(), error, interactive: false);

        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString());
    }

    private async Task<List<JsonElement>> Bench(params string[] options)
    {
        var json = Path.Combine(_directory, "bench.json");
        var code = await OdeGpuProgram.RunAsync(["bench", "ensemble", "--device", "cpu", .. options, "--out", json], new StringWriter(), new StringWriter(), interactive: false);
        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        return document.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.Clone()).ToList();
    }
}
