using System.Globalization;
using System.Text.Json;
using OdeGpu.Cli;
using OdeGpu.Cli.Commands;
using OdeGpu.Tests.Support;
using Parquet;

namespace OdeGpu.Tests.Cli;

/// <summary>The <c>odegpu solve</c> contract: arguments, output files and errors.</summary>
public sealed class SolveCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Writes_one_csv_row_per_trajectory_and_time_with_the_reference_values()
    {
        var csv = Path.Combine(_directory, "vdp.csv");

        var (code, output, _) = await Run("solve", "vanderpol", "--param", "mu=1", "--trajectories", "2", "--y0", "2,0",
            "--times", "0,0.5,1", "--method", "dopri8", "--rtol", "1e-11", "--atol", "1e-11", "--device", "cpu", "--out", csv);

        Assert.Equal(0, code);
        Assert.Contains("wrote", output);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("trajectory,status,t,y0,y1", lines[0]);
        Assert.Equal(1 + 2 * 3, lines.Length);
        Assert.Equal("Success", lines[^1].Split(',')[1]);
        var last = lines[^1].Split(',').Where((_, c) => c != 1).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var reference = Support.ReferenceProblem.Named("van_der_pol_mu1").Reference[2];
        Assert.Equal(1, last[0]);
        Assert.Equal(1.0, last[1]);
        Assert.Equal(reference[0], last[2], 1e-8);
        Assert.Equal(reference[1], last[3], 1e-8);
    }

    [Fact]
    public async Task Writes_parquet_with_the_same_columns()
    {
        var parquet = Path.Combine(_directory, "lorenz.parquet");

        var (code, _, _) = await Run("solve", "lorenz", "--param", "r=0:28", "--trajectories", "3", "--y0", "1,0,0",
            "--times", "0,0.5", "--precision", "float32", "--method", "rk4", "--dt", "0.01", "--out", parquet);

        Assert.Equal(0, code);
        await using var reader = await ParquetReader.CreateAsync(parquet, cancellationToken: TestContext.Current.CancellationToken);
        var fields = reader.Schema.DataFields;
        Assert.Equal(["trajectory", "status", "t", "y0", "y1", "y2"], fields.Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(6, group.RowCount);
        var trajectory = new int[6];
        var status = new string?[6];
        var x = new float[6];
        await group.ReadAsync<int>(fields[0], trajectory, cancellationToken: TestContext.Current.CancellationToken);
        await group.ReadAsync(fields[1], status.AsMemory(), cancellationToken: TestContext.Current.CancellationToken);
        await group.ReadAsync<float>(fields[3], x, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([0, 0, 1, 1, 2, 2], trajectory);
        Assert.All(status, s => Assert.Equal("Success", s));
        Assert.Equal(1f, x[0]);
        Assert.True(x[1] < x[5], "x(0.5) grows with r");
    }

    [Fact]
    public async Task Writes_stats_with_totals_and_per_trajectory_arrays()
    {
        var stats = Path.Combine(_directory, "stats.json");

        var (code, _, _) = await Run("solve", "lorenz", "--trajectories", "4", "--param", "r=10:28", "--y0", "1,0,0", "--times", "0,1",
            "--method", "tsit5", "--rtol", "1e-6", "--atol", "1e-6", "--stats", stats);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(File.ReadAllText(stats));
        var root = json.RootElement;
        foreach (var key in new[] { "device", "method", "precision", "mode", "trajectories", "wall_seconds", "nfe_total", "accepted_total", "rejected_total" })
            Assert.True(root.TryGetProperty(key, out _), key);
        Assert.Equal("tsit5", root.GetProperty("method").GetString());
        Assert.Equal("ensemble", root.GetProperty("mode").GetString());
        Assert.Equal(4, root.GetProperty("trajectories").GetInt32());
        var nfe = root.GetProperty("nfe").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(4, nfe.Length);
        Assert.Equal(root.GetProperty("nfe_total").GetInt64(), nfe.Sum());
        Assert.All(root.GetProperty("status").EnumerateArray(), s => Assert.Equal("Success", s.GetString()));
        Assert.True(root.GetProperty("simd").GetBoolean());
        Assert.Equal(System.Numerics.Vector<double>.Count, root.GetProperty("simd_lanes").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("simd_fallback").ValueKind);
        var wider = root.GetProperty("simd_wider_bits");
        Assert.Equal(VectorWidth.Wider, wider.ValueKind == JsonValueKind.Null ? null : wider.GetInt32());
    }

    [Fact]
    public async Task Simd_off_runs_the_scalar_kernel_and_says_so_with_the_same_fixed_step_values()
    {
        var (on, off) = (Path.Combine(_directory, "on.csv"), Path.Combine(_directory, "off.csv"));
        var stats = Path.Combine(_directory, "off.json");
        string[] common = ["solve", "lorenz", "--trajectories", "11", "--param", "r=10:28", "--y0", "1,0,0", "--times", "0,0.5,1", "--method", "rk4", "--dt", "0.01",
            "--precision", "float32"];

        var (codeOn, outputOn, _) = await Run([.. common, "--out", on]);
        var (codeOff, outputOff, _) = await Run([.. common, "--simd", "off", "--out", off, "--stats", stats]);

        Assert.Equal((0, 0), (codeOn, codeOff));
        Assert.Contains($"simd ({System.Numerics.Vector<float>.Count} lanes", outputOn); // the text in full: LaneWidthTests
        Assert.Contains("scalar: SIMD is off", outputOff);
        Assert.Equal(File.ReadAllText(on), File.ReadAllText(off));
        using var json = JsonDocument.Parse(File.ReadAllText(stats));
        Assert.False(json.RootElement.GetProperty("simd").GetBoolean());
        Assert.Equal(1, json.RootElement.GetProperty("simd_lanes").GetInt32());
        Assert.StartsWith("SIMD is off", json.RootElement.GetProperty("simd_fallback").GetString());
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public async Task Both_modes_write_the_same_trajectories_to_tolerance(string format)
    {
        var ensemble = Path.Combine(_directory, $"ensemble.{format}");
        var batched = Path.Combine(_directory, $"batched.{format}");
        string[] common = ["solve", "vanderpol", "--param", "mu=0.5:3", "--trajectories", "5", "--y0", "2,0", "--times", "0,1,2,3",
            "--method", "dopri5", "--rtol", "1e-9", "--atol", "1e-9"];

        var (codeEnsemble, _, _) = await Run([.. common, "--mode", "ensemble", "--chunk", "2", "--slice-steps", "7", "--out", ensemble]);
        var (codeBatched, _, _) = await Run([.. common, "--mode", "batched", "--out", batched]);

        Assert.Equal(0, codeEnsemble);
        Assert.Equal(0, codeBatched);
        var a = await Read(ensemble);
        var b = await Read(batched);
        Assert.Equal(5 * 4, a.Count);
        Assert.Equal(b.Select(r => (r.Trajectory, r.T)), a.Select(r => (r.Trajectory, r.T)));
        for (var i = 0; i < a.Count; i++)
            for (var d = 0; d < 2; d++)
                Assert.Equal(b[i].Y[d], a[i].Y[d], 1e-6);
    }

    [Theory]
    [InlineData("--shared-step needs --mode batched", "--shared-step")]
    [InlineData("--slice-steps, --chunk, --no-compaction and --simd schedule the ensemble mode", "--mode", "batched", "--chunk", "4")]
    [InlineData("--slice-steps, --chunk, --no-compaction and --simd schedule the ensemble mode", "--mode", "batched", "--simd", "off")]
    [InlineData("--simd must be on or off, but was 'auto'", "--simd", "auto")]
    [InlineData("--slice-steps must be at least 1", "--slice-steps", "0")]
    [InlineData("--mode must be ensemble or batched", "--mode", "fused")]
    public async Task Mode_options_that_do_not_fit_the_mode_are_refused(string message, params string[] extra)
    {
        var (code, _, error) = await Run(["solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", .. extra]);

        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public async Task Output_times_a_trajectory_never_reached_are_written_as_NaN(string format)
    {
        var path = Path.Combine(_directory, $"decay.{format}");

        // y = e^(1000 t) overflows near t = 0.71
        var (code, _, _) = await Run("solve", "exp-decay", "--param", "k=-1000", "--y0", "1", "--times", "0,0.5,1,100", "--out", path);

        Assert.Equal(1, code);
        var rows = await Read(path);
        Assert.Equal(["NonFinite"], rows.Select(r => r.Status).Distinct());
        Assert.True(double.IsFinite(rows[1].Y[0]), "y(0.5) was reached");
        Assert.True(double.IsNaN(rows[2].Y[0]) && double.IsNaN(rows[3].Y[0]), "y(1) and y(100) were never reached");
    }

    [Fact]
    public async Task Negative_numbers_are_values_not_options()
    {
        var (code, output, _) = await Run("solve", "exp-decay", "--param", "k=-3", "--y0", "-1,2", "--times", "0,1");

        Assert.Equal(0, code);
        Assert.Contains("-20.08553", output); // -e^3
    }

    [Fact]
    public async Task Float32_with_an_rtol_it_cannot_resolve_warns_but_solves()
    {
        var (code, _, error) = await Run("solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--precision", "float32", "--rtol", "1e-8", "--atol", "1e-8");

        Assert.Equal(0, code);
        Assert.Contains("warning: --rtol 1E-08 is below what float32 resolves", error);
    }

    [Fact]
    public async Task Float32_with_an_rtol_it_can_resolve_gets_no_warning()
    {
        var (code, _, error) = await Run("solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--precision", "float32", "--rtol", "1e-6", "--atol", "1e-6");

        Assert.Equal(0, code);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("--out", "x.csv")]
    [InlineData("--stats", "x.json")]
    public async Task An_output_path_that_is_a_directory_is_refused_before_solving(string option, string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;

        var (code, output, error) = await Run("solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", option, directory);

        Assert.Equal(2, code);
        Assert.Contains($"{option}: '{directory}' is a directory", error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task An_output_path_that_cannot_be_written_is_refused_before_solving()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc is Linux's");

        var (code, output, error) = await Run("solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--out", "/proc/x.csv");

        Assert.Equal(2, code);
        Assert.Contains("--out: cannot write in '/proc'", error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Trajectories_that_do_not_fit_host_memory_are_refused_with_the_bytes_needed()
    {
        var (code, _, error) = await Run("solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--trajectories", "2000000000");

        Assert.Equal(2, code);
        Assert.Matches(@"--trajectories 2000000000 needs [0-9.]+ GB of host memory \([0-9]+ bytes\) .*, but [0-9.]+ GB \([0-9]+ bytes\) is available", error);
    }

    [Fact]
    public async Task Without_out_prints_a_table_of_final_states()
    {
        var (code, output, _) = await Run("solve", "harmonic", "--y0", "1,0", "--times", "0,3.141592653589793", "--rtol", "1e-10", "--atol", "1e-10");

        Assert.Equal(0, code);
        Assert.Matches(@"trajectory +status +t +y0 +y1", output);
        Assert.Contains("Success", output);
    }

    [Fact]
    public async Task A_failed_trajectory_sets_exit_code_one_and_is_reported()
    {
        var stats = Path.Combine(_directory, "failed.json");

        var (code, _, _) = await Run("solve", "lorenz", "--y0", "1,0,0", "--times", "0,10", "--max-steps", "5", "--stats", stats);

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(File.ReadAllText(stats));
        Assert.Equal("MaxStepsReached", json.RootElement.GetProperty("status")[0].GetString());
    }

    [Theory]
    [InlineData("ensemble")]
    [InlineData("batched")]
    public async Task Solves_the_28_state_pleiades_to_the_reference_in_either_mode(string mode)
    {
        var csv = Path.Combine(_directory, $"pleiades-{mode}.csv");
        var problem = Support.ReferenceProblem.Named("pleiades");

        var (code, _, _) = await Run("solve", "pleiades", "--y0", string.Join(',', problem.Y0.Select(v => v.ToString(CultureInfo.InvariantCulture))),
            "--times", "0,3", "--method", "dopri8", "--rtol", "1e-10", "--atol", "1e-10", "--mode", mode, "--device", "cpu", "--out", csv);

        Assert.Equal(0, code);
        var last = File.ReadAllLines(csv)[^1].Split(',').Skip(3).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(28, last.Length);
        for (var d = 0; d < 28; d++)
            Assert.Equal(problem.Reference[^1][d], last[d], 1e-6 * problem.Scale);
    }

    [Theory]
    [InlineData("--y0 must have 3 components for lorenz, but has 2", "solve", "lorenz", "--y0", "1,0", "--times", "0,1")]
    [InlineData("--y0: y0 must have 1 to 32 components for exp-decay, but has 33", "solve", "exp-decay", "--y0", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "--times", "0,1")]
    [InlineData("--times must be strictly monotonic, but --times[2] = 1 follows --times[1] = 1", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1,1")]
    [InlineData("--y0[1] is NaN", "solve", "lorenz", "--y0", "1,nan,0", "--times", "0,1")]
    [InlineData("--dt: dt must be positive and finite, but was -1", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--dt", "-1")]
    [InlineData("--rtol: rtol must be positive and finite, but was 0", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--rtol", "0")]
    [InlineData("--atol: atol[0] must be positive", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--atol", "-1")]
    [InlineData("--method: method 'rk4' has no error estimate", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--method", "rk4")]
    [InlineData("--method must be one of euler", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--method", "rk45")]
    [InlineData("SYSTEM must be one of exp-decay", "solve", "lorentz", "--y0", "1,0,0", "--times", "0,1")]
    [InlineData("--param q: lorenz has parameters s, r, b", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--param", "q=1")]
    [InlineData("--param r must be VALUE or LO:HI", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--param", "r=1:2:3")]
    [InlineData("--dt fixes the step, so --rtol", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--dt", "0.1", "--rtol", "1e-3")]
    [InlineData("--out must name a .csv or .parquet file", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--out", "x.txt")]
    [InlineData("--precision must be float32 or float64", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--precision", "half")]
    [InlineData("--device must be cpu, cuda or opencl", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--device", "tpu")]
    [InlineData("--trajectories must be at least 1", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--trajectories", "0")]
    [InlineData("unknown option --tol", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--tol", "1")]
    [InlineData("--times was given twice", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--times", "0,2")]
    [InlineData("unknown command 'slove': use devices, solve, gradient, fit, flow, classify, bench or check", "slove")]
    [InlineData("--y0 needs a value, but is followed by --times", "solve", "lorenz", "--y0", "--times", "0,1")]
    [InlineData("--min-step: min step must not exceed max step, but min step is 0.5 and max step 0.1", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--min-step", "0.5", "--max-step", "0.1")]
    [InlineData("--param r=0:21 spreads r over the trajectories, but there is one", "solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--param", "r=0:21")]
    public async Task Bad_arguments_exit_with_code_two_and_name_the_argument(string message, params string[] args)
    {
        var (code, _, error) = await Run(args);

        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task A_cuda_device_that_is_not_there_is_refused_clearly()
    {
        if (OdeGpu.Device.DeviceCatalog.Discover().Any(d => d.Kind == OdeGpu.Device.DeviceKind.Cuda))
            Assert.Skip("this machine has a CUDA device");

        var (code, _, error) = await Run("solve", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--device", "cuda");

        Assert.Equal(2, code);
        Assert.Contains("device 'cuda' was requested but none is usable here", error);
    }

    [Fact]
    public void A_parameter_range_spreads_linearly_from_the_first_trajectory_to_the_last()
    {
        var line = CommandLine.Parse(["lorenz", "--param", "r=0:21", "--param", "s=12", "--trajectories", "8", "--y0", "1,0,0", "--times", "0,1"],
            SolveRequest.Valued, SolveRequest.Repeatable, SolveRequest.Flags);

        var request = SolveRequest.Parse(line);

        Assert.Equal(8, request.Trajectories);
        Assert.Equal(0, request.Parameters[0, 1]);
        Assert.Equal(3, request.Parameters[1, 1], 1e-15);
        Assert.Equal(21, request.Parameters[7, 1]);
        Assert.All(Enumerable.Range(0, 8), r => Assert.Equal(12, request.Parameters[r, 0]));
        Assert.All(Enumerable.Range(0, 8), r => Assert.Equal(8.0 / 3, request.Parameters[r, 2]));
    }

    [Fact]
    public async Task Devices_lists_the_cpu_and_marks_the_default()
    {
        var (code, output, _) = await Run("devices");

        Assert.Equal(0, code);
        Assert.Contains("cpu", output);
        Assert.Contains("* = used by default", output);
    }

    // Rows of a float64 file: trajectory, status, t, then the components.
    private static async Task<List<(int Trajectory, string Status, double T, double[] Y)>> Read(string path)
    {
        if (path.EndsWith(".csv", StringComparison.Ordinal))
            return File.ReadAllLines(path).Skip(1).Select(l => l.Split(','))
                .Select(v => (int.Parse(v[0], CultureInfo.InvariantCulture), v[1], Number(v[2]), v[3..].Select(Number).ToArray())).ToList();
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: TestContext.Current.CancellationToken);
        var fields = reader.Schema.DataFields;
        var rows = new List<(int, string, double, double[])>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var n = (int)rowGroup.RowCount;
            var trajectory = new int[n];
            var status = new string?[n];
            var t = new double[n];
            var y = fields.Skip(3).Select(_ => new double[n]).ToArray();
            await rowGroup.ReadAsync<int>(fields[0], trajectory, cancellationToken: TestContext.Current.CancellationToken);
            await rowGroup.ReadAsync(fields[1], status.AsMemory(), cancellationToken: TestContext.Current.CancellationToken);
            await rowGroup.ReadAsync<double>(fields[2], t, cancellationToken: TestContext.Current.CancellationToken);
            for (var d = 0; d < y.Length; d++)
                await rowGroup.ReadAsync<double>(fields[3 + d], y[d], cancellationToken: TestContext.Current.CancellationToken);
            rows.AddRange(Enumerable.Range(0, n).Select(i => (trajectory[i], status[i]!, t[i], y.Select(c => c[i]).ToArray())));
        }
        return rows;
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await OdeGpuProgram.RunAsync(args, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }
}
