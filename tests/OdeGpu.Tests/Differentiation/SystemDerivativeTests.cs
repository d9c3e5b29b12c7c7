using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Differentiation;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Differentiation;

/// <summary>
/// The derivative kernels, run on the CPU through <see cref="SystemDerivatives{T, TState, TSystem}"/>, give the
/// derivatives of every built-in system that central differences of its plain Evaluate give, row by row, with
/// per-row times and parameters; and the Jacobian-vector and vector-Jacobian products agree with each other.
/// </summary>
public sealed class SystemDerivativeTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    public static TheoryData<string> Systems => SystemCase.Names;

    [Theory]
    [MemberData(nameof(Systems))]
    public void Jacobian_vector_products_along_unit_directions_are_the_columns_of_finite_differences(string system) =>
        SystemCase.Run(system, new JacobianCheck(cpu.Device));

    [Theory]
    [MemberData(nameof(Systems))]
    public void Vector_jacobian_products_by_duals_match_finite_differences_in_state_time_and_parameters(string system) =>
        SystemCase.Run(system, new ProductCheck(cpu.Device, useSystemVjp: false));

    [Theory]
    [MemberData(nameof(Systems))]
    public void Both_products_give_the_same_a_transposed_jacobian_v(string system) =>
        SystemCase.Run(system, new AgreementCheck(cpu.Device));

    [Fact]
    public void Lorenz_supplies_its_own_vector_jacobian_product_and_it_matches_the_duals()
    {
        var problem = new DerivativeProblem<Vec3<double>, Lorenz<double>>(default);
        using var dynamics = problem.Dynamics(cpu.Device);
        var own = new SystemDerivatives<double, Vec3<double>, Lorenz<double>>(dynamics);
        var duals = new SystemDerivatives<double, Vec3<double>, Lorenz<double>>(dynamics, useSystemVjp: false);

        var a = problem.Random(11);
        var byOwn = Products(cpu.Device, own, problem, a);
        var byDuals = Products(cpu.Device, duals, problem, a);

        Assert.True(own.UsesSystemVjp);
        Assert.False(duals.UsesSystemVjp);
        for (var i = 0; i < 3; i++)
            AssertClose(byDuals[i], byOwn[i], 1e-14, "Lorenz's own product");
    }

    [Fact]
    public void Thirty_four_columns_take_two_dual_passes_and_twenty_nine_take_one()
    {
        using var wide = new DerivativeProblem<Vec32<double>, ExpDecay<double, Vec32<double>>>(default).Dynamics(cpu.Device);
        using var pleiades = new DerivativeProblem<Vec28<double>, Pleiades<double>>(default).Dynamics(cpu.Device);

        var wideDerivatives = new SystemDerivatives<double, Vec32<double>, ExpDecay<double, Vec32<double>>>(wide);
        var pleiadesDerivatives = new SystemDerivatives<double, Vec28<double>, Pleiades<double>>(pleiades);

        Assert.Equal((34, 32, 2), (wideDerivatives.Columns, wideDerivatives.Tangents, wideDerivatives.Passes));
        Assert.Equal((29, 29, 1), (pleiadesDerivatives.Columns, pleiadesDerivatives.Tangents, pleiadesDerivatives.Passes));
    }

    [Fact]
    public void Without_a_parameter_buffer_the_system_fields_are_constants_and_nothing_is_written_for_parameters()
    {
        var system = new Lorenz<double> { S = 10, R = 28, B = 8.0 / 3 };
        using var dynamics = new SystemDynamics<double, Vec3<double>, Lorenz<double>>(cpu.Device, system, rows: 1);
        var derivatives = new SystemDerivatives<double, Vec3<double>, Lorenz<double>>(dynamics, useSystemVjp: false);
        using var time = cpu.Device.Upload(new[] { 0.0 });
        using var y = cpu.Device.Upload(new[] { 1.0, 2.0, 3.0 });
        using var v = cpu.Device.Upload(new[] { 0.0, 0.0, 1.0 });
        using var jv = cpu.Device.Allocate<double>(3);

        derivatives.Jvp(time.View, y.View, v.View, jv.View);

        // df/dz = (0, -x, -b)
        Assert.Equal(new[] { 0.0, -1.0, -8.0 / 3 }, cpu.Device.Download<double>(jv.View));
        Assert.Equal(4, derivatives.Columns);
    }

    [Fact]
    public void A_view_shorter_than_its_shape_is_refused_naming_it()
    {
        var problem = new DerivativeProblem<Vec3<double>, Lorenz<double>>(default);
        using var dynamics = problem.Dynamics(cpu.Device);
        var derivatives = new SystemDerivatives<double, Vec3<double>, Lorenz<double>>(dynamics);
        using var time = cpu.Device.Upload(problem.Time);
        using var y = cpu.Device.Upload(problem.Y);
        using var shortView = cpu.Device.Allocate<double>(5);

        var error = Assert.Throws<ArgumentException>(() => derivatives.Jvp(time.View, y.View, y.View, shortView.View));

        Assert.Equal("jv", error.ParamName);
        Assert.Contains("at least 9 values, but holds 5", error.Message);
    }

    // dy, dt and dp of one vector-Jacobian product.
    private static double[][] Products<TState, TSystem>(OdeDevice device, SystemDerivatives<double, TState, TSystem> derivatives,
        DerivativeProblem<TState, TSystem> problem, double[] cotangent)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        using var time = device.Upload(problem.Time);
        using var y = device.Upload(problem.Y);
        using var a = device.Upload(cotangent);
        using var dy = device.Allocate<double>(problem.Y.Length);
        using var dt = device.Allocate<double>(DerivativeProblem<TState, TSystem>.Rows);
        using var dp = device.Allocate<double>(problem.Parameters.Length);
        derivatives.Vjp(time.View, y.View, a.View, dy.View, dt.View, dp.View);
        return [device.Download<double>(dy.View), device.Download<double>(dt.View), device.Download<double>(dp.View)[..problem.Parameters.Length]];
    }

    private static double[] Jvp<TState, TSystem>(OdeDevice device, SystemDerivatives<double, TState, TSystem> derivatives,
        DerivativeProblem<TState, TSystem> problem, double[] direction)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        using var time = device.Upload(problem.Time);
        using var y = device.Upload(problem.Y);
        using var v = device.Upload(direction);
        using var jv = device.Allocate<double>(problem.Y.Length);
        derivatives.Jvp(time.View, y.View, v.View, jv.View);
        return device.Download<double>(jv.View);
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= relative * Math.Max(1, Math.Abs(expected[i])),
                $"{what} [{i}]: {actual[i]}, expected {expected[i]}");
    }

    private sealed class JacobianCheck(OdeDevice device) : ISystemCheck
    {
        public void Run<TState, TSystem>(TSystem system)
            where TState : unmanaged, IStateVector<TState, double>
            where TSystem : struct, IOdeSystem<double, TState>
        {
            var problem = new DerivativeProblem<TState, TSystem>(system);
            using var dynamics = problem.Dynamics(device);
            var derivatives = new SystemDerivatives<double, TState, TSystem>(dynamics);
            var n = problem.Dimension;
            for (var j = 0; j < n; j++)
            {
                var unit = Enumerable.Range(0, problem.Y.Length).Select(i => i % n == j ? 1.0 : 0.0).ToArray();
                var jv = Jvp(device, derivatives, problem, unit);
                for (var row = 0; row < DerivativeProblem<TState, TSystem>.Rows; row++)
                    AssertClose(problem.Column(row, j), jv[(row * n)..((row + 1) * n)], 1e-7, $"{typeof(TSystem).Name} row {row}, column {j}");
            }
        }
    }

    private sealed class ProductCheck(OdeDevice device, bool useSystemVjp) : ISystemCheck
    {
        public void Run<TState, TSystem>(TSystem system)
            where TState : unmanaged, IStateVector<TState, double>
            where TSystem : struct, IOdeSystem<double, TState>
        {
            var problem = new DerivativeProblem<TState, TSystem>(system);
            using var dynamics = problem.Dynamics(device);
            var derivatives = new SystemDerivatives<double, TState, TSystem>(dynamics, useSystemVjp);
            var a = problem.Random(5);

            var products = Products(device, derivatives, problem, a);

            int n = problem.Dimension, p = problem.ParameterCount, rows = DerivativeProblem<TState, TSystem>.Rows;
            var name = typeof(TSystem).Name;
            AssertClose([.. Enumerable.Range(0, rows * n).Select(i => problem.Product(a, i / n, i % n))], products[0], 1e-7, $"{name} a^T df/dy");
            AssertClose([.. Enumerable.Range(0, rows).Select(r => problem.Product(a, r, n))], products[1], 1e-7, $"{name} a^T df/dt");
            AssertClose([.. Enumerable.Range(0, rows * p).Select(i => problem.Product(a, i / p, n + 1 + i % p))], products[2], 1e-7, $"{name} a^T df/dp");
        }
    }

    private sealed class AgreementCheck(OdeDevice device) : ISystemCheck
    {
        public void Run<TState, TSystem>(TSystem system)
            where TState : unmanaged, IStateVector<TState, double>
            where TSystem : struct, IOdeSystem<double, TState>
        {
            var problem = new DerivativeProblem<TState, TSystem>(system);
            using var dynamics = problem.Dynamics(device);
            var derivatives = new SystemDerivatives<double, TState, TSystem>(dynamics, useSystemVjp: false);
            var (a, v) = (problem.Random(3), problem.Random(4));

            var jv = Jvp(device, derivatives, problem, v);
            var aj = Products(device, derivatives, problem, a)[0];

            var n = problem.Dimension;
            for (var row = 0; row < DerivativeProblem<TState, TSystem>.Rows; row++)
            {
                var range = Enumerable.Range(row * n, n);
                var forward = range.Sum(i => a[i] * jv[i]);
                var reverse = range.Sum(i => aj[i] * v[i]);
                var scale = range.Sum(i => Math.Abs(a[i] * jv[i]) + Math.Abs(aj[i] * v[i]));
                Assert.True(Math.Abs(forward - reverse) <= 1e-13 * Math.Max(1, scale), $"{typeof(TSystem).Name} row {row}: a^T (J v) = {forward}, (a^T J) v = {reverse}");
            }
        }
    }
}
