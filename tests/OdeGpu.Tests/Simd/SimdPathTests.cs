using System.Numerics;
using OdeGpu.Control;
using OdeGpu.Ensemble;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Simd;

/// <summary>
/// The fused ensemble kernel on SIMD lanes gives the scalar kernel's results: bit for bit with fixed steps, and with
/// adaptive steps as accurately, with the same work.
/// </summary>
public sealed class SimdPathTests(CpuDevice cpu, ITestOutputHelper log) : IClassFixture<CpuDevice>
{
    private const int Rows = 13; // not a multiple of the lanes: the last group is part padding

    public static TheoryData<string, string> ProblemsAndPrecisions()
    {
        var data = new TheoryData<string, string>();
        foreach (var problem in ReferenceProblem.All)
            foreach (var precision in new[] { "float32", "float64" })
                data.Add(problem.Name, precision);
        return data;
    }

    [Theory]
    [MemberData(nameof(ProblemsAndPrecisions))]
    public void Every_stepper_agrees_with_the_scalar_path_fixed_and_adaptive_forward_and_backward(string problem, string precision)
    {
        if (precision == "float32")
            Agree<float>(ReferenceProblem.Named(problem), 1e-5);
        else
            Agree<double>(ReferenceProblem.Named(problem), 1e-9);
    }

    private void Agree<T>(ReferenceProblem problem, double rtol) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var method in Methods.All)
            foreach (var adaptive in new[] { false, true })
                foreach (var backward in new[] { false, true })
                {
                    var times = problem.Times[..3];
                    var start = problem.Y0;
                    if (backward)
                        (times, start) = ([.. times.Reverse()], problem.Reference[2]);
                    var options = new SolveOptions
                    {
                        Method = method,
                        Controller = adaptive && method.IsAdaptive ? new PIController(rtol, rtol) : new FixedStep(Math.Abs(times[^1] - times[0]) / 40),
                    };
                    var (y0, parameters) = Spread<T>(problem, start);
                    var lanes = Solution<T>.Concatenate(problem.System.SolveEnsemble(cpu.Device, y0, parameters, times, options));
                    var scalar = Solution<T>.Concatenate(problem.System.SolveEnsemble(cpu.Device, y0, parameters, times, options, new EnsembleOptions { Simd = false }));
                    var what = $"{problem.Name} {method.Name} {(adaptive ? "adaptive" : "fixed")} {(backward ? "backward" : "forward")}";
                    Assert.True(lanes.Simd!.Used, $"{what}: {lanes.Simd}");
                    Assert.Equal(Vector<T>.Count, lanes.Simd.Lanes);
                    Assert.False(scalar.Simd!.Used);
                    Assert.Equal(scalar.Status, lanes.Status);
                    var difference = Enumerable.Range(0, lanes.Values.Length).Max(k => Math.Abs(double.CreateTruncating(lanes.Values[k]) - double.CreateTruncating(scalar.Values[k])));
                    log.WriteLine($"{what}: max difference {difference:G3}, evaluations {lanes.Statistics.TotalEvaluations} / {scalar.Statistics.TotalEvaluations}");
                    if (options.Controller is FixedStep)
                    {
                        Assert.Equal(scalar.Values, lanes.Values);
                        Assert.Equal(scalar.Statistics.Evaluations, lanes.Statistics.Evaluations);
                        continue;
                    }
                    // Adaptive: the controller's powers differ in the last float bits, so an attempt whose error norm is
                    // within that of 1 may go the other way; both paths are then as accurate, to within a few
                    // tolerances (row 0 is the reference problem), and do the same work.
                    var reference = backward ? [.. problem.Reference[..3].Reverse()] : problem.Reference[..3];
                    double Error(Solution<T> s) => Enumerable.Range(0, 3).Max(j => Enumerable.Range(0, start.Length)
                        .Max(d => Math.Abs(double.CreateTruncating(s[0, j, d]) - reference[j][d]))) / problem.Scale;
                    Assert.True(Error(lanes) <= 2 * Error(scalar) + 10 * rtol, $"{what}: error {Error(lanes):G3} against the scalar path's {Error(scalar):G3}");
                    Assert.InRange(lanes.Statistics.TotalEvaluations, 0.95 * scalar.Statistics.TotalEvaluations, 1.05 * scalar.Statistics.TotalEvaluations);
                }
    }

    // Rows whose initial states and parameters differ by a few percent, so the lanes of a group take different steps.
    private static (T[,] Y0, T[,] Parameters) Spread<T>(ReferenceProblem problem, double[] start) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y0 = new T[Rows, start.Length];
        var parameters = new T[Rows, problem.Parameters.Length];
        for (var r = 0; r < Rows; r++)
        {
            for (var d = 0; d < start.Length; d++)
                y0[r, d] = T.CreateTruncating(start[d] * (1 + 0.002 * r));
            for (var p = 0; p < problem.Parameters.Length; p++)
                parameters[r, p] = T.CreateTruncating(problem.Parameters[p] * (1 + 0.001 * r));
        }
        return (y0, parameters);
    }
}
