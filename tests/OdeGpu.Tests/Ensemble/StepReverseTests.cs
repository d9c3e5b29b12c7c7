using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Differentiation;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>
/// <see cref="OdeGpu.Ensemble.IStepper.Reverse"/>, the VJP of one accepted step of each generated stepper, called on the
/// host in float64: it is the gradient of L = c . y1 over one <see cref="OdeGpu.Ensemble.IStepper.Attempt"/> with h
/// fixed (central differences of the attempt), it differentiates at the very points the attempt evaluated, and its
/// evaluation count is what it declares. Lorenz brings its own VJP; the driven oscillator runs on duals and depends on t.
/// </summary>
public sealed class StepReverseTests
{
    private static readonly double[] LorenzParameters = [10, 28, 8.0 / 3];
    private static readonly double[] LorenzState = [-8, 7, 27];
    private static readonly double[] LorenzCotangent = [0.3, -1.2, 0.7];

    private static readonly double[] ForcedParameters = [4, 3];
    private static readonly double[] ForcedState = [0.5, -1];
    private static readonly double[] ForcedCotangent = [0.8, -0.5];

    public static TheoryData<string> MethodNames => new(Methods.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void It_is_the_gradient_of_one_step_of_lorenz_by_its_own_vjp(string method) =>
        AssertGradientOfStep(LorenzProbe(method), t: 0.3, h: 0.02, LorenzState, LorenzParameters, LorenzCotangent);

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void It_is_the_gradient_of_one_step_of_a_driven_oscillator_on_duals(string method) =>
        AssertGradientOfStep(ForcedProbe(method), t: 0.7, h: 0.1, ForcedState, ForcedParameters, ForcedCotangent);

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void It_adds_to_the_parameter_and_time_adjoints_it_is_given(string method)
    {
        var probe = ForcedProbe(method);
        double[] heldP = [0.25, -2];
        const double heldT = 1.5;

        var fromZero = probe.Reverse(0.7, 0.1, ForcedState, ForcedParameters, ForcedCotangent, [0, 0], 0);
        var fromHeld = probe.Reverse(0.7, 0.1, ForcedState, ForcedParameters, ForcedCotangent, heldP, heldT);

        AssertClose([.. fromZero.Parameters.Zip(heldP, (g, held) => g + held), fromZero.Time + heldT], [.. fromHeld.Parameters, fromHeld.Time], 1e-14);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Its_stage_vjps_are_taken_where_the_attempt_evaluated_bit_for_bit(string method)
    {
        var tableau = Methods.Parse(method);
        var probe = LorenzProbe(method);
        // The step's solution uses the stages up to its last nonzero weight: an FSAL method's last stage is not one.
        var used = 1 + Array.FindLastIndex(tableau.B, b => b != 0);

        probe.Attempt(0.3, 0.02, LorenzState, LorenzParameters);
        var attempted = probe.SystemCalls.Take(used).ToList();
        probe.Clear();
        probe.Reverse(0.3, 0.02, LorenzState, LorenzParameters, LorenzCotangent, [0, 0, 0], 0);
        var differentiated = Enumerable.Reverse(probe.AdjointCalls).ToList();

        Assert.Equal(Flatten(attempted), Flatten(differentiated));
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Reverse_evaluations_counts_the_evaluations_it_makes(string method)
    {
        var probe = ForcedProbe(method);

        probe.Reverse(0.7, 0.1, ForcedState, ForcedParameters, ForcedCotangent, [0, 0], 0);

        Assert.Equal(probe.ReverseEvaluations, probe.SystemCalls.Count + probe.AdjointCalls.Count);
    }

    private static StepProbe LorenzProbe(string method) =>
        StepProbe.For<Vec3<double>, Lorenz<double>>(Methods.Parse(method), default, useSystemVjp: true);

    private static StepProbe ForcedProbe(string method) =>
        StepProbe.For<Vec2<double>, Forced<double>>(Methods.Parse(method), default, useSystemVjp: false);

    // dL/dy, dL/dp and dL/dt of L = c . Attempt(t, h, y, p), each by central differences with h held.
    private static void AssertGradientOfStep(StepProbe probe, double t, double h, double[] y, double[] p, double[] c)
    {
        double Loss(double time, double[] state, double[] parameters) => Dot(c, probe.Attempt(time, h, state, parameters));
        var state = y.Select((_, i) => CentralDifference.Of(s => Loss(t, CentralDifference.Shifted(y, i, s), p), 0)).ToArray();
        var parameters = p.Select((_, k) => CentralDifference.Of(s => Loss(t, y, CentralDifference.Shifted(p, k, s)), 0)).ToArray();
        var time = CentralDifference.Of(s => Loss(t + s, y, p), 0);

        var reverse = probe.Reverse(t, h, y, p, c, new double[p.Length], 0);

        AssertClose(state, reverse.State, 1e-6);
        AssertClose(parameters, reverse.Parameters, 1e-6);
        AssertClose([time], [reverse.Time], 1e-6);
    }

    // max |actual - expected| within relative * max |expected|: a zero expectation must be met exactly.
    private static void AssertClose(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        var error = expected.Zip(actual, (e, a) => Math.Abs(a - e)).Max();
        var scale = expected.Max(Math.Abs);
        Assert.True(error <= relative * scale,
            $"expected [{string.Join(", ", expected)}] but got [{string.Join(", ", actual)}]: error {error:g3} over {relative:g1} x {scale:g3}");
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static double[] Flatten(IEnumerable<(double Time, double[] State)> points) => [.. points.SelectMany(p => p.State.Prepend(p.Time))];
}
