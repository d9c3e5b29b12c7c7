using OdeGpu.Control;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

public sealed class PrecisionTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Theory]
    [InlineData("dopri5")]
    [InlineData("tsit5")]
    [InlineData("dopri8")]
    public void Float32_and_float64_agree_to_float32_accuracy(string method)
    {
        var options = new SolveOptions { Method = Methods.Parse(method), Controller = new PIController(1e-6, 1e-6) };
        double[] times = [0, 0.25, 0.5, 0.75, 1];

        var single = Batches.Lorenz<float>(cpu.Device, 8, 0, 28, times, options);
        var dbl = Batches.Lorenz<double>(cpu.Device, 8, 0, 28, times, options);

        Assert.All(single.Status, s => Assert.Equal(TrajectoryStatus.Success, s));
        for (var i = 0; i < dbl.Values.Length; i++)
            Assert.Equal(dbl.Values[i], single.Values[i], 2e-5 * (1 + Math.Abs(dbl.Values[i])));
    }

    [Fact]
    public void Float32_fixed_steps_match_the_reference_to_single_precision()
    {
        var problem = ReferenceProblem.Named("van_der_pol_mu1");

        var solution = problem.Solve<float>(cpu.Device, new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.005) });

        Assert.InRange(problem.NormRelativeError(solution), 0, 1e-5);
    }
}
