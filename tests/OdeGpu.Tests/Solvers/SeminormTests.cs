using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary><see cref="SolveOptions.ErrorComponents"/>: the step-size control sees only the chosen components, in both modes.</summary>
public sealed class SeminormTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly SolveOptions Options = new() { Controller = new PIController(1e-8, 1e-10) };

    [Theory]
    [InlineData(SolveMode.Ensemble)]
    [InlineData(SolveMode.Batched)]
    public void A_component_left_out_of_the_norm_no_longer_drives_the_step(SolveMode mode)
    {
        var full = Solve(mode, Options);
        var semi = Solve(mode, Options with { ErrorComponents = [0] });

        // x' = -x alone needs a few dozen steps; the fast oscillation in z needs hundreds
        Assert.True(semi.Statistics.AcceptedSteps[0] * 4 < full.Statistics.AcceptedSteps[0],
            $"{semi.Statistics.AcceptedSteps[0]} steps with the seminorm against {full.Statistics.AcceptedSteps[0]}");
        Assert.Equal(Math.Exp(-2), semi[0, 0, 0], 1e-7);
        Assert.Equal(Math.Exp(-2), full[0, 0, 0], 1e-7);
    }

    [Theory]
    [InlineData(SolveMode.Ensemble)]
    [InlineData(SolveMode.Batched)]
    public void A_seminorm_over_every_component_is_the_norm(SolveMode mode)
    {
        var full = Solve(mode, Options);
        var all = Solve(mode, Options with { ErrorComponents = [1, 0] });

        Assert.Equal(full.Values, all.Values);
        Assert.Equal(full.Statistics.Evaluations, all.Statistics.Evaluations);
    }

    [Theory]
    [InlineData(new int[0], "at least one component")]
    [InlineData(new[] { 2 }, "must lie in [0, 2)")]
    [InlineData(new[] { -1 }, "must lie in [0, 2)")]
    [InlineData(new[] { 0, 0 }, "must not repeat")]
    public void Components_that_do_not_fit_the_state_are_refused(int[] components, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Solve(SolveMode.Ensemble, Options with { ErrorComponents = components }));

        Assert.Equal("errorComponents", error.ParamName);
        Assert.Contains(message, error.Message);
    }

    private Solution<double> Solve(SolveMode mode, SolveOptions options) =>
        Ode.Solve(cpu.Device, default(DecayBesideOscillation<double>), [new Vec2<double>(1, 0)], (double[,]?)null, 0, 2, options with { Mode = mode });
}

/// <summary>x' = -x beside z' = 20 cos(20 t): two components that want very different steps.</summary>
public struct DecayBesideOscillation<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Twenty = T.CreateTruncating(20);

    public readonly int ParameterCount => 0;

    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec2<T> Evaluate(T t, Vec2<T> y) => new(-y.X, Twenty * T.Cos(Twenty * t));
}
