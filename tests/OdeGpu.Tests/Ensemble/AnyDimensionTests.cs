using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Batched;
using OdeGpu.BuiltIn;
using OdeGpu.Control;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>
/// Systems of any dimension up to 32 through the generated state vectors Vec5..Vec32, in both modes; Gyration is the
/// README's six-state example, as written there.
/// </summary>
public sealed class AnyDimensionTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    public static TheoryData<int> GeneratedDimensions =>
        new(Enumerable.Range(StateVectorSource.First, StateVectorSource.Last - StateVectorSource.First + 1));

    public static TheoryData<int> EveryDimension => new(Enumerable.Range(1, BuiltInSystem.MaxDimension));

    public static TheoryData<string, string> MethodsAndModes()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in Methods.All)
            foreach (var mode in new[] { "ensemble", "batched" })
                data.Add(method.Name, mode);
        return data;
    }

    [Fact]
    public void The_readme_gyrating_particle_follows_its_closed_form_in_both_modes()
    {
        // r(0) = 0, v(0) = (1, 0, 1/2): x = sin(wt) / w, y = (cos(wt) - 1) / w, z = t / 2
        const int n = 3;
        var y0 = Enumerable.Repeat(new Vec6<double>(0, 0, 0, 1, 0, 0.5), n).ToArray();
        var parameters = new double[n, 1];
        for (var i = 0; i < n; i++)
            parameters[i, 0] = 1 + i;
        double[] times = [0, 1, 2, 3];
        var options = new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(1e-11, 1e-11) };

        var ensemble = EnsembleSolver.Solve(cpu.Device, default(Gyration<double>), y0, parameters, times, options);
        using var dynamics = new SystemDynamics<double, Vec6<double>, Gyration<double>>(cpu.Device, default, parameters);
        var batched = BatchedSolver.Solve(dynamics, Batches.Repeat<double>(n, 0, 0, 0, 1, 0, 0.5), times, options);

        for (var i = 0; i < n; i++)
            for (var j = 0; j < times.Length; j++)
            {
                var (w, t) = (1.0 + i, times[j]);
                double[] exact = [Math.Sin(w * t) / w, (Math.Cos(w * t) - 1) / w, t / 2, Math.Cos(w * t), -Math.Sin(w * t), 0.5];
                for (var d = 0; d < 6; d++)
                {
                    Assert.Equal(exact[d], ensemble[i, j, d], 1e-8);
                    Assert.Equal(exact[d], batched[i, j, d], 1e-8);
                }
            }
    }

    /// <summary>
    /// Each component of a step is the same arithmetic in every state vector, so a Vec8 holding two Kepler orbits takes
    /// Vec4's fixed steps bit for bit (adaptive steps differ: the error norm is over all eight components).
    /// </summary>
    [Theory]
    [MemberData(nameof(MethodsAndModes))]
    public void Two_copies_of_a_four_state_system_in_a_Vec8_give_its_values_bit_for_bit(string methodName, string mode)
    {
        double[] first = [0.5, 0, 0, Math.Sqrt(3)], second = [1, 0, 0, 1];
        double[] times = [0, 0.5, 1];
        var options = new SolveOptions { Method = Methods.Parse(methodName), Controller = new FixedStep(0.01) };

        var pair = Solve<Vec8<double>, TwoKeplers<double>>(mode, [.. first, .. second], times, options);
        var one = Solve<Vec4<double>, Kepler<double>>(mode, first, times, options);
        var other = Solve<Vec4<double>, Kepler<double>>(mode, second, times, options);

        for (var j = 0; j < times.Length; j++)
            for (var d = 0; d < 4; d++)
            {
                Assert.Equal(one[0, j, d], pair[0, j, d]);
                Assert.Equal(other[0, j, d], pair[0, j, 4 + d]);
            }
    }

    [Theory]
    [MemberData(nameof(EveryDimension))]
    public void Built_in_exp_decay_decays_every_component_at_every_dimension_in_both_modes(int dimension)
    {
        var system = BuiltInSystem.Parse("exp-decay");
        var y0 = new double[1, dimension];
        for (var d = 0; d < dimension; d++)
            y0[0, d] = d + 1;
        double[,] k = { { 0.7 } };
        double[] times = [0, 1];
        var options = new SolveOptions { Method = Methods.Dopri5, Controller = new PIController(1e-10, 1e-10) };

        var ensemble = Solution<double>.Concatenate(system.SolveEnsemble(cpu.Device, y0, k, times, options));
        var dynamics = system.Create(cpu.Device, k, dimension);
        Solution<double> batched;
        using (dynamics as IDisposable)
            batched = BatchedSolver.Solve(dynamics, y0, times, options);

        for (var d = 0; d < dimension; d++)
        {
            Assert.Equal((d + 1) * Math.Exp(-0.7), ensemble[0, 1, d], 1e-8);
            Assert.Equal((d + 1) * Math.Exp(-0.7), batched[0, 1, d], 1e-8);
        }
    }

    [Theory]
    [InlineData("exp-decay", 33, "y0 must have 1 to 32 components for exp-decay, but has 33")]
    [InlineData("pleiades", 27, "y0 must have 28 components for pleiades, but has 27")]
    public void Built_in_systems_refuse_a_dimension_they_do_not_have(string name, int dimension, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => BuiltInSystem.Parse(name).Create(cpu.Device, new double[1, 0], dimension));

        Assert.StartsWith(message, error.Message);
    }

    [Theory]
    [MemberData(nameof(GeneratedDimensions))]
    public void Each_generated_state_vector_acts_componentwise_on_the_host(int n) =>
        typeof(AnyDimensionTests).GetMethod(nameof(ActsComponentwise), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(typeof(Vec5<>).Assembly.GetType($"OdeGpu.State.Vec{n}`1")!.MakeGenericType(typeof(double)))
            .Invoke(null, [n]);

    [Fact]
    public void Constructor_arguments_are_the_components_in_order()
    {
        var y = new Vec6<double>(10, 11, 12, 13, 14, 15);

        Assert.Equal([10, 11, 12, 13, 14, 15], Enumerable.Range(0, 6).Select(i => Vec6<double>.Component(y, i)));
        Assert.Equal(13, y.C3);
    }

    [Fact]
    public void A_state_refuses_the_wrong_number_of_components_and_an_index_past_its_end()
    {
        var error = Assert.Throws<ArgumentException>(() => Vec28<double>.FromComponents(new double[27]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vec28<double>.Component(default, 28));

        Assert.StartsWith("a Vec28 needs 28 components, but 27 were given", error.Message);
    }

    private static void ActsComponentwise<TState>(int n) where TState : unmanaged, IStateVector<TState, double>
    {
        var a = Enumerable.Range(0, n).Select(i => 1.0 + i).ToArray();
        var b = Enumerable.Range(0, n).Select(i => -0.25 * i).ToArray();
        var atol = Enumerable.Range(0, n).Select(i => 1.0 / (i + 3)).ToArray();
        var (x, y, tol) = (TState.FromComponents(a), TState.FromComponents(b), TState.FromComponents(atol));
        var expectedSquares = 0.0;
        for (var i = 0; i < n; i++)
        {
            var scaled = b[i] / (atol[i] + 0.5 * Math.Max(Math.Abs(a[i]), Math.Abs(b[i])));
            expectedSquares += scaled * scaled; // left to right, as Vec1..Vec4 sum
        }

        Assert.Equal(n, TState.Dimension);
        Assert.Equal(a, Components(x));
        Assert.Equal(a.Zip(b, (p, q) => p + 0.5 * q), Components(TState.MulAdd(x, 0.5, y)));
        Assert.Equal(a.Select(p => 3 * p), Components(TState.Scale(3, x)));
        Assert.Equal(expectedSquares, TState.ScaledSquares(y, x, y, tol, 0.5));
        Assert.True(TState.IsFinite(x));
        Assert.All(Enumerable.Range(0, n), i => Assert.False(TState.IsFinite(TState.FromComponents([.. a[..i], double.NaN, .. a[(i + 1)..]]))));

        double[] Components(TState v) => Enumerable.Range(0, n).Select(i => TState.Component(v, i)).ToArray();
    }

    private Solution<double> Solve<TState, TSystem>(string mode, double[] y0, double[] times, SolveOptions options)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>
    {
        if (mode == "ensemble")
            return EnsembleSolver.Solve(cpu.Device, default(TSystem), [TState.FromComponents(y0)], new double[1, 0], times, options);
        using var dynamics = new SystemDynamics<double, TState, TSystem>(cpu.Device, default, new double[1, 0]);
        return BatchedSolver.Solve(dynamics, Batches.Repeat<double>(1, y0), times, options);
    }
}

/// <summary>A charged particle in a uniform magnetic field along z: r' = v, v' = w (v x e_z). Parameter: w = qB/m.</summary>
public struct Gyration<T> : IOdeSystem<T, Vec6<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T W;

    public readonly int ParameterCount => 1;

    public void LoadParameters<TParameters>(TParameters p) where TParameters : struct, IParameters<T> => W = p[0];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec6<T> Evaluate(T t, Vec6<T> s) // s = (x, y, z, vx, vy, vz): components C0..C5
    {
        var (vx, vy, vz) = (s.C3, s.C4, s.C5);
        return new(vx, vy, vz, W * vy, -W * vx, T.Zero);
    }
}

/// <summary>Two independent Kepler orbits in one state: (x, y, x', y') of the first, then of the second.</summary>
public struct TwoKeplers<T> : IOdeSystem<T, Vec8<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly int ParameterCount => 0;

    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
        // nothing to load
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec8<T> Evaluate(T t, Vec8<T> y)
    {
        var kepler = default(Kepler<T>);
        var first = kepler.Evaluate(t, new Vec4<T>(y.C0, y.C1, y.C2, y.C3));
        var second = kepler.Evaluate(t, new Vec4<T>(y.C4, y.C5, y.C6, y.C7));
        return new(first.X, first.Y, first.Z, first.W, second.X, second.Y, second.Z, second.W);
    }
}
