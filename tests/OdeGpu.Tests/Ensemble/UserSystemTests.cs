using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>The README's own-system example, as written there, solved in both modes.</summary>
public sealed class UserSystemTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    [Fact]
    public void The_readme_pendulum_follows_the_small_angle_solution_in_both_modes()
    {
        // theta(0) = 1e-3, no damping: theta(t) = 1e-3 cos(sqrt(g/l) t) to within O(theta^3)
        const int n = 4;
        var y0 = Enumerable.Repeat(new Vec2<double>(1e-3, 0), n).ToArray();
        var parameters = new double[n, 2];
        for (var i = 0; i < n; i++)
            parameters[i, 0] = 1 + i;
        double[] times = [0, 1, 2, 3];
        var options = new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(1e-10, 1e-14) };

        var ensemble = EnsembleSolver.Solve(cpu.Device, default(Pendulum<double>), y0, parameters, times, options);
        using var dynamics = new SystemDynamics<double, Vec2<double>, Pendulum<double>>(cpu.Device, default, parameters);
        var batched = BatchedSolver.Solve(dynamics, Batches.Repeat<double>(n, 1e-3, 0), times, options);

        for (var i = 0; i < n; i++)
            for (var j = 0; j < times.Length; j++)
            {
                var exact = 1e-3 * Math.Cos(Math.Sqrt(1 + i) * times[j]);
                Assert.Equal(exact, ensemble[i, j, 0], 1e-9);
                Assert.Equal(exact, batched[i, j, 0], 1e-9);
            }
    }
}

/// <summary>A damped pendulum: theta'' = -(g/l) sin(theta) - 2 zeta theta'. Parameters: g/l, zeta.</summary>
public struct Pendulum<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Two = T.CreateTruncating(2);   // a constant: folded into every kernel as a literal

    public T GOverL, Zeta;

    public readonly int ParameterCount => 2;

    public void LoadParameters<TParameters>(TParameters p) where TParameters : struct, IParameters<T> => (GOverL, Zeta) = (p[0], p[1]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // lets the CPU path inline it; GPUs inline everything anyway
    public readonly Vec2<T> Evaluate(T t, Vec2<T> y) => new(y.Y, -GOverL * T.Sin(y.X) - Two * Zeta * y.Y);
}
