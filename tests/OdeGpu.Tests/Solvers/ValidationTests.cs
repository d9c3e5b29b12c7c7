using ILGPU;
using OdeGpu.Batched;
using OdeGpu.BuiltIn;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>Bad input is rejected with a message naming the argument, before anything is launched.</summary>
public sealed class ValidationTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[] Times = [0, 1];

    public static TheoryData<string, string, string> Cases => new()
    {
        { "nan-y0", "y0", "y0[1, 2] is NaN: initial values must be finite" },
        { "infinite-y0", "y0", "y0[0, 0] is Infinity: initial values must be finite" },
        { "y0-shape", "y0", "y0 must be [2 x 3] (rows x state dimension), but is [2 x 2]" },
        { "repeated-times", "times", "times must be strictly monotonic, but times[2] = 0.5 follows times[1] = 0.5" },
        { "non-monotonic-times", "times", "times must be strictly monotonic, but times[2] = 0.2 follows times[1] = 0.5" },
        { "one-time", "times", "times must hold at least two values (t0 and t1), but has 1" },
        { "nan-time", "times", "times[1] is NaN: times must be finite" },
        { "zero-rtol", "rtol", "rtol must be positive and finite, but was 0" },
        { "negative-atol", "atol", "atol[0] must be positive and finite, but was -1E-06" },
        { "atol-length", "atol", "atol must have 1 or 3 (state dimension) values, but has 2" },
        { "zero-dt", "dt", "dt must be positive and finite, but was 0" },
        { "negative-dt", "dt", "dt must be positive and finite, but was -0.1" },
        { "adaptive-rk4", "method", "method 'rk4' has no error estimate" },
        { "max-steps", "maxSteps", "max steps must be at least 1, but was 0" },
        { "min-above-max-step", "minStep", "min step must not exceed max step, but min step is 0.5 and max step 0.1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_rejected_before_any_kernel_runs(string name, string argument, string message)
    {
        var dynamics = new CountingDynamics(cpu.Device, rows: 2);
        var (y0, times, options) = Case(name);

        var error = Assert.ThrowsAny<ArgumentException>(() => BatchedSolver.Solve(dynamics, y0, times, options));

        Assert.Equal(argument, error.ParamName);
        Assert.Contains(message, error.Message);
        Assert.Equal(0, dynamics.Calls);
    }

    [Fact]
    public void Parameters_must_match_the_system_shape_and_be_finite()
    {
        var shape = Assert.Throws<ArgumentException>(() => new SystemDynamics<double, Vec3<double>, Lorenz<double>>(cpu.Device, default, new double[2, 2]));
        var nan = Assert.Throws<ArgumentException>(() => new SystemDynamics<double, Vec3<double>, Lorenz<double>>(cpu.Device, default, new double[,] { { 10, double.NaN, 1 } }));

        Assert.Contains("parameters must be [2 x 3] (trajectories x the system's parameters), but is [2 x 2]", shape.Message);
        Assert.Contains("parameters[0, 1] is NaN", nan.Message);
    }

    [Fact]
    public void Unknown_methods_and_systems_are_named_with_the_choices()
    {
        var method = Assert.Throws<ArgumentException>(() => Methods.Parse("rk45"));
        var system = Assert.Throws<ArgumentException>(() => BuiltInSystem.Parse("lorentz"));

        Assert.Contains("method must be one of euler, midpoint, heun, rk4, bosh3, dopri5, tsit5, dopri8, but was 'rk45'", method.Message);
        Assert.Contains("SYSTEM must be one of exp-decay, harmonic, lorenz", system.Message);
    }

    private static (double[,] Y0, double[] Times, SolveOptions Options) Case(string name)
    {
        var y0 = new double[2, 3];
        var options = new SolveOptions();
        return name switch
        {
            "nan-y0" => (With(y0, 1, 2, double.NaN), Times, options),
            "infinite-y0" => (With(y0, 0, 0, double.PositiveInfinity), Times, options),
            "y0-shape" => (new double[2, 2], Times, options),
            "repeated-times" => (y0, [0, 0.5, 0.5, 1], options),
            "non-monotonic-times" => (y0, [0, 0.5, 0.2, 1], options),
            "one-time" => (y0, [0], options),
            "nan-time" => (y0, [0, double.NaN], options),
            "zero-rtol" => (y0, Times, options with { Controller = new PIController(0, 1e-6) }),
            "negative-atol" => (y0, Times, options with { Controller = new PIController(1e-6, -1e-6) }),
            "atol-length" => (y0, Times, options with { Controller = new PIController(1e-6, [1e-6, 1e-6]) }),
            "zero-dt" => (y0, Times, options with { Controller = new FixedStep(0) }),
            "negative-dt" => (y0, Times, options with { Controller = new FixedStep(-0.1) }),
            "adaptive-rk4" => (y0, Times, options with { Method = Methods.Rk4 }),
            "max-steps" => (y0, Times, options with { MaxSteps = 0 }),
            "min-above-max-step" => (y0, Times, options with { MinStep = 0.5, MaxStep = 0.1 }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static double[,] With(double[,] y0, int row, int column, double value)
    {
        y0[row, column] = value;
        return y0;
    }

    /// <summary>Three-dimensional dynamics that count how often they were launched.</summary>
    private sealed class CountingDynamics(OdeDevice device, int rows) : IBatchedDynamics<double>
    {
        public int Calls { get; private set; }

        public OdeDevice Device => device;

        public int Rows => rows;

        public int Dimension => 3;

        public void Evaluate(ArrayView<double> time, ArrayView<double> y, ArrayView<double> dy) => Calls++;
    }
}
