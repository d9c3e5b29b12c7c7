using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Simd;

/// <summary>A group of lanes: what one lane does never changes another, and systems lanes cannot follow run scalar.</summary>
public sealed class LaneGroupTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly SolveOptions Adaptive = new() { Method = Methods.Dopri5, Controller = new PIController(1e-7, 1e-7) };
    private static readonly SolveOptions Fixed = new() { Method = Methods.Rk4, Controller = new FixedStep(0.01) };

    // Lanes on spans of different lengths finish at different times; on one span, with a fixed step, the group's lanes
    // share one grid and the kernel steps them as one until a lane turns non-finite.
    public static TheoryData<string, string> ControllersAndSpans => new()
    {
        { "fixed", "different" }, { "adaptive", "different" }, { "fixed", "one" },
    };

    [Theory]
    [MemberData(nameof(ControllersAndSpans))]
    public void Lanes_that_finish_early_or_go_non_finite_leave_the_others_as_they_are_alone(string controller, string spans)
    {
        var options = controller == "fixed" ? Fixed : Adaptive;
        // y' = -k y, one lane with k = -300, which overflows float at about t = 0.3.
        var n = Vector<float>.Count + 3;
        var (y0, k, times) = Decays(n, bad: 2, oneSpan: spans == "one");
        Solution<float> Solve(EnsembleOptions? ensemble = null) => spans == "one"
            ? EnsembleSolver.Solve(cpu.Device, default(ExpDecay<float, Vec1<float>>), y0, k, Row(times, 0).Cast<double>().ToArray(), options, ensemble)
            : EnsembleSolver.Solve(cpu.Device, default(ExpDecay<float, Vec1<float>>), y0, k, times, options, ensemble);

        var group = Solve();
        var scalar = Solve(new EnsembleOptions { Simd = false });

        Assert.True(group.Simd!.Used);
        Assert.Equal(TrajectoryStatus.NonFinite, group.Status[2]);
        Assert.All(group.Status.Where((_, i) => i != 2), s => Assert.Equal(TrajectoryStatus.Success, s));
        Assert.Equal(scalar.Status, group.Status);
        if (controller == "fixed")
        {
            // The failing lane stops at the same step as on the scalar path, with the same outputs written.
            Assert.Equal(scalar.Statistics.AcceptedSteps[2], group.Statistics.AcceptedSteps[2]);
            Assert.Equal(scalar.Statistics.Evaluations[2], group.Statistics.Evaluations[2]);
            Assert.Equal(scalar.State(2, 1), group.State(2, 1));
        }
        for (var i = 0; i < n; i++)
        {
            if (i == 2)
                continue;
            var alone = EnsembleSolver.Solve(cpu.Device, default(ExpDecay<float, Vec1<float>>), [y0[i]], Row(k, i), Row(times, i), options);
            Assert.Equal(alone.State(0, 2), group.State(i, 2));
            Assert.Equal(alone.Statistics.Evaluations[0], group.Statistics.Evaluations[i]);
            if (controller == "fixed")
                Assert.Equal(scalar.State(i, 2), group.State(i, 2));
            else
                Assert.Equal(scalar.State(i, 2)[0], group.State(i, 2)[0], 1e-6f);
        }
    }

    [Fact]
    public void Recorded_steps_on_lanes_are_the_scalar_kernels()
    {
        var n = Vector<float>.Count + 1;
        var (y0, k, _) = Decays(n, bad: -1, oneSpan: false);
        var options = Fixed with { SaveAt = SaveAt.Steps, MaxSteps = 120 };

        var lanes = Ode.Solve(cpu.Device, default(ExpDecay<float, Vec1<float>>), y0, k, 0, 1, options);
        var scalar = Ode.Solve(cpu.Device, default(ExpDecay<float, Vec1<float>>), y0, k, 0, 1, options, new EnsembleOptions { Simd = false });

        Assert.True(lanes.Simd!.Used);
        Assert.Equal(scalar.Values, lanes.Values);
        Assert.Equal(scalar.TrajectoryTimes, lanes.TrajectoryTimes);
        Assert.Equal(100, lanes.Statistics.AcceptedSteps[0]); // dt = 0.01 over [0, 1]
    }

    [Fact]
    public void A_system_that_branches_on_values_runs_scalar_and_says_why()
    {
        var y0 = Enumerable.Range(0, 11).Select(i => new Vec1<double>(i - 5)).ToArray();

        var solution = EnsembleSolver.Solve(cpu.Device, default(Ramp<double>), y0, (double[,]?)null, [0, 0.5, 1], Adaptive);
        var scalar = EnsembleSolver.Solve(cpu.Device, default(Ramp<double>), y0, (double[,]?)null, [0, 0.5, 1], Adaptive, new EnsembleOptions { Simd = false });

        Assert.False(solution.Simd!.Used);
        Assert.Equal(1, solution.Simd.Lanes);
        Assert.Equal("Ramp`1 takes a value-dependent step (>), which one group of lanes cannot follow", solution.Simd.Reason);
        Assert.Equal(scalar.Values, solution.Values);
        Assert.Equal(Math.Exp(1) * 5, solution[10, 2, 0], 1e-5);
        Assert.Equal(-5, solution[0, 2, 0]);
    }

    [Fact]
    public void Every_reason_for_the_scalar_path_is_reported()
    {
        Vec1<double>[] y0 = [new(1)];
        using var accelerator = OdeDevice.Open(DeviceKind.Cpu, CpuLauncher.Accelerator);

        var off = EnsembleSolver.Solve(cpu.Device, default(ExpDecay<double, Vec1<double>>), y0, new double[,] { { 1 } }, [0, 1], Adaptive, new EnsembleOptions { Simd = false });
        var simulated = EnsembleSolver.Solve(accelerator, default(ExpDecay<double, Vec1<double>>), y0, new double[,] { { 1 } }, [0, 1], Adaptive);
        var concrete = EnsembleSolver.Solve(cpu.Device, default(ConcreteDecay), y0, (double[,]?)null, [0, 1], Adaptive);
        var on = EnsembleSolver.Solve(cpu.Device, default(ExpDecay<double, Vec1<double>>), y0, new double[,] { { 1 } }, [0, 1], Adaptive);

        Assert.Equal("SIMD is off (EnsembleOptions.Simd, --simd off)", off.Simd!.Reason);
        Assert.StartsWith("the kernel runs on ", simulated.Simd!.Reason);
        Assert.Equal("ConcreteDecay is not generic over its arithmetic type Double, so it cannot run on SIMD lanes", concrete.Simd!.Reason);
        Assert.Equal((Vector<double>.Count, true), (on.Simd!.Lanes, on.Simd.Used));
        Assert.StartsWith($"simd ({Vector<double>.Count} lanes", on.Simd.ToString());
    }

    // Rows of y0 = 1, k = 1 + row / 10 (k = -300 on the bad row), spans [0, T] with T from 0.5 to 2 by row.
    private static (Vec1<float>[] Y0, float[,] K, double[,] Times) Decays(int n, int bad, bool oneSpan)
    {
        var y0 = Enumerable.Repeat(new Vec1<float>(1), n).ToArray();
        var k = new float[n, 1];
        var times = new double[n, 3];
        for (var i = 0; i < n; i++)
        {
            k[i, 0] = i == bad ? -300 : 1 + i / 10f;
            var end = oneSpan ? 2 : 0.5 + 1.5 * i / (n - 1);
            (times[i, 0], times[i, 1], times[i, 2]) = (0, end / 2, end);
        }
        return (y0, k, times);
    }

    private static T[,] Row<T>(T[,] values, int row)
    {
        var one = new T[1, values.GetLength(1)];
        for (var j = 0; j < values.GetLength(1); j++)
            one[0, j] = values[row, j];
        return one;
    }
}

/// <summary>y' = y where y > 0, else 0: a branch on the state's value.</summary>
public struct Ramp<T> : IOdeSystem<T, Vec1<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly int ParameterCount => 0;

    public void LoadParameters<TParameters>(TParameters p) where TParameters : struct, IParameters<T>
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec1<T> Evaluate(T t, Vec1<T> y) => new(y.X > T.Zero ? y.X : T.Zero);
}

/// <summary>y' = -y written for double only.</summary>
public struct ConcreteDecay : IOdeSystem<double, Vec1<double>>
{
    public readonly int ParameterCount => 0;

    public void LoadParameters<TParameters>(TParameters p) where TParameters : struct, IParameters<double>
    {
    }

    public readonly Vec1<double> Evaluate(double t, Vec1<double> y) => new(-y.X);
}
