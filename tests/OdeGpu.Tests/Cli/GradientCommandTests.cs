using System.Globalization;
using System.Text.Json;
using OdeGpu.Adjoint;
using OdeGpu.Cli;
using OdeGpu.Control;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Cli;

/// <summary>The <c>odegpu gradient</c> contract: the loss, its gradient columns, the statistics and refused arguments.</summary>
public sealed class GradientCommandTests(CpuDevice cpu) : IClassFixture<CpuDevice>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-gradient-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("continuous")]
    [InlineData("discrete")]
    public async Task Writes_the_loss_and_its_gradients_per_trajectory_as_the_library_computes_them(string adjoint)
    {
        var csv = Path.Combine(_directory, "g.csv");
        var stats = Path.Combine(_directory, "g.json");

        var (code, _, _) = await Run("gradient", "lorenz", "--trajectories", "3", "--param", "r=5:21", "--y0", "1,0,0", "--times", "0,0.5,1",
            "--rtol", "1e-8", "--atol", "1e-10", "--adjoint", adjoint, "--mode", "batched", "--device", "cpu", "--out", csv, "--stats", stats);

        Assert.Equal(0, code);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("trajectory,status,loss,d_y0,d_y1,d_y2,d_s,d_r,d_b,d_t0,d_t1", lines[0]);
        Assert.Equal(4, lines.Length);
        var expected = Library(adjoint == "discrete");
        for (var r = 0; r < 3; r++)
        {
            var row = lines[r + 1].Split(',');
            Assert.Equal("Success", row[1]);
            Assert.Equal(expected.Loss[r], double.Parse(row[2], CultureInfo.InvariantCulture), 1e-12);
            Assert.Equal(expected.Gradient.Parameters[r, 1], double.Parse(row[7], CultureInfo.InvariantCulture), 1e-9);
        }
        using var document = JsonDocument.Parse(File.ReadAllText(stats));
        foreach (var key in new[] { "nfe_forward", "nfe_backward", "seconds", "peak_device_bytes" })
            Assert.True(document.RootElement.GetProperty(key).GetDouble() > 0, key);
    }

    [Theory]
    [InlineData("--mode", "fused", "--mode")]
    [InlineData("--loss", "cubes", "--loss")]
    [InlineData("--adjoint", "forward", "--adjoint")]
    public async Task Bad_arguments_are_refused_before_anything_runs(string flag, string value, string named)
    {
        var (code, _, error) = await Run("gradient", "lorenz", "--y0", "1,0,0", "--times", "0,1", flag, value);

        Assert.Equal(2, code);
        Assert.Contains(named, error);
    }

    [Fact]
    public async Task The_ensemble_mode_gives_the_batched_modes_gradients()
    {
        var paths = new[] { "batched", "ensemble" }.Select(m => Path.Combine(_directory, m + ".csv")).ToArray();

        foreach (var (mode, path) in new[] { "batched", "ensemble" }.Zip(paths))
            Assert.Equal(0, (await Run("gradient", "vanderpol", "--trajectories", "2", "--param", "mu=1:3", "--y0", "2,0", "--times", "0,1,2",
                "--rtol", "1e-10", "--atol", "1e-12", "--mode", mode, "--device", "cpu", "--out", path)).Code);

        var (batched, ensemble) = (File.ReadAllLines(paths[0]), File.ReadAllLines(paths[1]));
        Assert.Equal(batched[0], ensemble[0]);
        for (var r = 1; r < 3; r++)
            foreach (var (b, e) in batched[r].Split(',').Zip(ensemble[r].Split(',')).Skip(2))
                Assert.Equal(double.Parse(b, CultureInfo.InvariantCulture), double.Parse(e, CultureInfo.InvariantCulture), 1e-6);
    }

    [Fact]
    public async Task The_discrete_adjoint_in_the_ensemble_mode_gives_the_batched_modes_gradients()
    {
        var paths = new[] { "batched", "ensemble" }.Select(m => Path.Combine(_directory, m + ".csv")).ToArray();

        foreach (var (mode, path) in new[] { "batched", "ensemble" }.Zip(paths))
            Assert.Equal(0, (await Run("gradient", "lorenz", "--trajectories", "3", "--param", "r=5:21", "--y0", "1,0,0", "--times", "0,1",
                "--rtol", "1e-9", "--atol", "1e-11", "--adjoint", "discrete", "--mode", mode, "--device", "cpu", "--out", path)).Code);

        var (batched, ensemble) = (File.ReadAllLines(paths[0]), File.ReadAllLines(paths[1]));
        Assert.Equal(batched[0], ensemble[0]);
        for (var r = 1; r < 4; r++)
            foreach (var (b, e) in batched[r].Split(',').Zip(ensemble[r].Split(',')).Skip(2))
            {
                var (expected, actual) = (double.Parse(b, CultureInfo.InvariantCulture), double.Parse(e, CultureInfo.InvariantCulture));
                Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"row {r}: {actual}, expected {expected}");
            }
    }

    [Fact]
    public async Task Checkpoints_give_the_batched_discrete_adjoints_gradients()
    {
        var paths = new[] { "all", "checkpoints" }.Select(m => Path.Combine(_directory, m + ".csv")).ToArray();
        string[] common = ["gradient", "lorenz", "--trajectories", "3", "--param", "r=5:21", "--y0", "1,0,0", "--times", "0,0.5,1",
            "--rtol", "1e-8", "--atol", "1e-10", "--adjoint", "discrete", "--mode", "batched", "--device", "cpu"];

        Assert.Equal(0, (await Run([.. common, "--out", paths[0]])).Code);
        Assert.Equal(0, (await Run([.. common, "--checkpoint-every", "5", "--out", paths[1]])).Code);

        var (all, checkpointed) = (File.ReadAllLines(paths[0]), File.ReadAllLines(paths[1]));
        for (var r = 1; r < 4; r++)
            foreach (var (a, c) in all[r].Split(',').Zip(checkpointed[r].Split(',')).Skip(2))
            {
                var (expected, actual) = (double.Parse(a, CultureInfo.InvariantCulture), double.Parse(c, CultureInfo.InvariantCulture));
                Assert.True(Math.Abs(expected - actual) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"row {r}: {actual}, expected {expected}");
            }
    }

    [Theory]
    [InlineData("continuous", "batched")]
    [InlineData("discrete", "ensemble")]
    public async Task Checkpoints_belong_to_the_batched_discrete_adjoint(string adjoint, string mode)
    {
        var (code, _, error) = await Run("gradient", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--adjoint", adjoint, "--mode", mode, "--checkpoint-every", "5");

        Assert.Equal(2, code);
        Assert.Contains("--checkpoint-every", error);
    }

    [Fact]
    public async Task The_seminorm_and_adjoint_tolerances_belong_to_the_continuous_adjoint()
    {
        var (code, _, error) = await Run("gradient", "lorenz", "--y0", "1,0,0", "--times", "0,1", "--adjoint", "discrete", "--seminorm");

        Assert.Equal(2, code);
        Assert.Contains("the discrete adjoint replays the forward steps", error);
    }

    private LossGradient<double> Library(bool discrete)
    {
        var parameters = new double[3, 3];
        for (var r = 0; r < 3; r++)
            (parameters[r, 0], parameters[r, 1], parameters[r, 2]) = (10, 5 + 8.0 * r, 8.0 / 3);
        using var dynamics = new DifferentiableSystem<double, Vec3<double>, Lorenz<double>>(cpu.Device, default, parameters);
        var y0 = new double[3, 3];
        for (var r = 0; r < 3; r++)
            y0[r, 0] = 1;
        return Ode.Gradient(dynamics, y0, 0, 1, new SumOfSquares<double>(), new SolveOptions
        {
            Controller = new PIController(1e-8, 1e-10),
            SaveAt = SaveAt.Times([0.5, 1]),
            Adjoint = discrete ? new Gradients.DiscreteAdjoint() : new Gradients.ContinuousAdjoint(),
        });
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await OdeGpuProgram.RunAsync(args, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }
}
