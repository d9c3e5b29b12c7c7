using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;

namespace OdeGpu.Bench;

/// <summary>BENCHMARKS.md's L1 workload: s = 10, b = 8/3, r = linspace(0, 21, N), u0 = (1, 0, 0), only the final state kept.</summary>
public sealed class LorenzWorkload : IDisposable
{
    /// <summary>L1(a), "a": RK4 at dt = 0.001; L1(b), "b": Tsit5 at rtol = atol = 1e-8 from dt0 = 0.001.</summary>
    public static SolveOptions Options(string workload) => workload == "a"
        ? new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.001) }
        : new SolveOptions { Method = Methods.Tsit5, Controller = new PIController(1e-8, 1e-8), InitialStep = 0.001 };

    /// <summary>Builds N trajectories on <paramref name="device"/>.</summary>
    public LorenzWorkload(OdeDevice device, int trajectories)
    {
        Trajectories = trajectories;
        Rho = Enumerable.Range(0, trajectories).Select(i => (float)(21.0 * i / Math.Max(1, trajectories - 1))).ToArray();
        var parameters = new float[trajectories, 3];
        Initial = new float[trajectories, 3];
        for (var i = 0; i < trajectories; i++)
        {
            (parameters[i, 0], parameters[i, 1], parameters[i, 2]) = (10f, Rho[i], 8f / 3);
            Initial[i, 0] = 1f;
        }
        Parameters = parameters;
        Dynamics = new SystemDynamics<float, Vec3<float>, Lorenz<float>>(device, default, parameters);
    }

    /// <summary>N.</summary>
    public int Trajectories { get; }

    /// <summary>r per trajectory.</summary>
    public float[] Rho { get; }

    /// <summary>s, r, b per trajectory.</summary>
    public float[,] Parameters { get; }

    /// <summary>(1, 0, 0) for every trajectory.</summary>
    public float[,] Initial { get; }

    /// <summary>The batch dynamics.</summary>
    public SystemDynamics<float, Vec3<float>, Lorenz<float>> Dynamics { get; }

    /// <inheritdoc />
    public void Dispose() => Dynamics.Dispose();
}
