using System.Numerics;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tests.Support;
using D = OdeGpu.Differentiation.Dual<double, OdeGpu.State.Vec1<double>>;

namespace OdeGpu.Tests.Differentiation;

/// <summary>
/// A system's own vector-Jacobian product, run on duals, differentiates itself: seeding the state along v and the
/// parameters along q gives d/dε [a^T df/dy, a^T df/dp] at (y + ε v, p + ε q), the Hessian-vector products that flows
/// need, equal to central differences of the product itself.
/// </summary>
public sealed class ForwardOverReverseTests
{
    private static readonly double[] Y = [1.3, -0.4, 2.2], A = [0.7, -1.1, 0.4], V = [0.3, 0.9, -0.5], P = [10, 28, 8.0 / 3], Q = [0.2, -0.6, 0.5];
    private const double Time = 0.25;

    [Fact]
    public void Lorenz_vjp_on_duals_gives_the_second_derivatives_of_finite_differences()
    {
        var system = new Lorenz<D> { S = Seeded(P, Q, 0), R = Seeded(P, Q, 1), B = Seeded(P, Q, 2) };
        var parameters = new D[3];
        var gradient = new ArrayGradient<D>(parameters);

        var dy = system.Vjp(new D(Time), new Vec3<D>(Seeded(Y, V, 0), Seeded(Y, V, 1), Seeded(Y, V, 2)),
            new Vec3<D>(new D(A[0]), new D(A[1]), new D(A[2])), ref gradient);

        var expected = CentralDifference.Of(PlainVjp);
        double[] actual = [dy.X.Tangent.X, dy.Y.Tangent.X, dy.Z.Tangent.X, .. parameters.Select(d => d.Tangent.X)];
        double[] values = [dy.X.Value, dy.Y.Value, dy.Z.Value, .. parameters.Select(d => d.Value)];
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(PlainVjp(0)[i], values[i], 1e-14);
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: {actual[i]}, finite differences {expected[i]}");
        }
        Assert.Contains(expected, e => Math.Abs(e) > 0.1);
    }

    // [a^T df/dy, a^T df/dp] of Lorenz on double at (y + s v, p + s q).
    private static double[] PlainVjp(double s)
    {
        var system = new Lorenz<double> { S = P[0] + s * Q[0], R = P[1] + s * Q[1], B = P[2] + s * Q[2] };
        var parameters = new double[3];
        var gradient = new ArrayGradient<double>(parameters);
        var dy = system.Vjp(Time, new Vec3<double>(Y[0] + s * V[0], Y[1] + s * V[1], Y[2] + s * V[2]), new Vec3<double>(A[0], A[1], A[2]),
            ref gradient);
        return [dy.X, dy.Y, dy.Z, .. parameters];
    }

    private static D Seeded(double[] values, double[] direction, int k) => new(values[k], new Vec1<double>(direction[k]));

    // Adds parameter gradients into an array; the time gradient must stay untouched (Lorenz is autonomous).
    private readonly struct ArrayGradient<T>(T[] parameters) : IVjpGradient<T> where T : IFloatingPointIeee754<T>
    {
        public void AddParameter(int k, T value) => parameters[k] += value;

        public void AddTime(T value) => Assert.Fail("Lorenz does not depend on time");
    }
}
