using OdeGpu.Adjoint;
using OdeGpu.Gradients;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Adjoint;

/// <summary>
/// Peak device memory of one gradient as the steps grow 1x, 10x, 100x (a longer span of an oscillating linear system):
/// flat for the continuous adjoint, growing with the steps for the discrete one, whose step record grows.
/// </summary>
public sealed class AdjointMemoryTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[,] A = { { -0.01, 1.0 }, { -1.0, -0.01 } };
    private static readonly double[,] Y0 = { { 1, 0 }, { 0.5, -1 } };

    [Fact]
    public void The_continuous_adjoint_stays_within_ten_percent()
    {
        var (peaks, steps) = Peaks(new ContinuousAdjoint());

        Assert.True(steps[2] > 50 * steps[0], $"steps {string.Join(", ", steps)}");
        Assert.True(peaks.Max() <= 1.1 * peaks.Min(), $"peaks {string.Join(", ", peaks)} bytes");
    }

    [Fact]
    public void The_discrete_adjoint_grows_with_the_steps()
    {
        var (peaks, steps) = Peaks(new DiscreteAdjoint());

        Assert.True(steps[2] > 50 * steps[0], $"steps {string.Join(", ", steps)}");
        Assert.True(peaks[1] > peaks[0] && peaks[2] > 5 * peaks[0], $"peaks {string.Join(", ", peaks)} bytes");
    }

    [Fact]
    public void Checkpoints_every_ten_steps_cut_the_discrete_adjoints_growth()
    {
        var (all, steps) = Peaks(new DiscreteAdjoint());
        var (checkpointed, _) = Peaks(new DiscreteAdjoint { CheckpointEvery = 10 });

        Assert.True(steps[2] > 50 * steps[0], $"steps {string.Join(", ", steps)}");
        Assert.True(checkpointed[2] - checkpointed[0] < (all[2] - all[0]) / 2,
            $"growth {checkpointed[2] - checkpointed[0]} bytes with checkpoints, {all[2] - all[0]} without");
    }

    private (long[] Peaks, long[] Steps) Peaks(AdjointMethod method)
    {
        var spans = new[] { 1.0, 10, 100 };
        var (peaks, steps) = (new long[3], new long[3]);
        for (var k = 0; k < spans.Length; k++)
        {
            cpu.Device.ResetPeak();
            using (var dynamics = new LinearDynamics(cpu.Device, A, [0, 0], Y0.GetLength(0)))
            using (var solver = new AdjointSolver<double>(dynamics, new SolveOptions { Adjoint = method }, maxOutputTimes: 2))
            {
                var gradient = solver.Gradient(Y0, [0, spans[k]], new double[2, 2, 2]);
                steps[k] = gradient.Forward.Statistics.TotalAccepted;
            }
            peaks[k] = cpu.Device.PeakBytes - cpu.Device.LiveBytes;
        }
        return (peaks, steps);
    }
}
