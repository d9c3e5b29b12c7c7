using System.Numerics;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.BuiltIn;

/// <summary>
/// A system the CLI knows by name, with its parameter names and defaults (the values of shared/reference/problems.json).
/// </summary>
/// <param name="Name">The CLI name, e.g. "lorenz".</param>
/// <param name="Parameters">Parameter names in the order the system reads them.</param>
/// <param name="Defaults">Default parameter values, in the same order.</param>
/// <param name="Dimension">The state dimension, or null when any dimension works (exp-decay).</param>
/// <param name="Description">One line for the help text.</param>
public sealed record BuiltInSystem(string Name, string[] Parameters, double[] Defaults, int? Dimension, string Description)
{
    /// <summary>Every built-in system.</summary>
    public static IReadOnlyList<BuiltInSystem> All { get; } =
    [
        new("exp-decay", ["k"], [0.7], null, "dy/dt = -k y, componentwise, 1 to 4 components"),
        new("harmonic", ["w"], [2.0], 2, "x' = v, v' = -w^2 x"),
        new("lorenz", ["s", "r", "b"], [10.0, 28.0, 8.0 / 3], 3, "x' = s(y - x), y' = x(r - z) - y, z' = xy - bz"),
        new("vanderpol", ["mu"], [1.0], 2, "x' = v, v' = mu (1 - x^2) v - x"),
        new("lotka-volterra", ["a", "b", "c", "d"], [1.5, 1.0, 3.0, 1.0], 2, "x' = a x - b x y, y' = -c y + d x y"),
        new("brusselator", ["A", "B"], [1.0, 3.0], 2, "x' = A + x^2 y - (B + 1) x, y' = B x - x^2 y"),
        new("arenstorf", ["mu"], [0.012277471], 4, "restricted three-body orbit (x, y, x', y')"),
        new("kepler", [], [], 4, "two-body problem r'' = -r / |r|^3 (x, y, x', y')"),
    ];

    /// <summary>Finds a system by name.</summary>
    /// <exception cref="ArgumentException">No built-in system has that name.</exception>
    public static BuiltInSystem Parse(string name) =>
        All.FirstOrDefault(s => s.Name == name.Trim().ToLowerInvariant())
        ?? throw new ArgumentException($"SYSTEM must be one of {string.Join(", ", All.Select(s => s.Name))}, but was '{name}'", "SYSTEM");

    /// <summary>Creates the batch dynamics of this system for the state type <typeparamref name="T"/>.</summary>
    /// <param name="device">The device.</param>
    /// <param name="parameters">[rows x Parameters.Length].</param>
    /// <param name="dimension">The state dimension (checked against <see cref="Dimension"/>).</param>
    /// <exception cref="ArgumentException">The dimension does not fit the system.</exception>
    public IBatchedDynamics<T> Create<T>(OdeDevice device, T[,] parameters, int dimension) where T : unmanaged, IFloatingPointIeee754<T> =>
        Dispatch(dimension, new BatchedDynamicsOf<T>(device, parameters));

    /// <summary>
    /// Solves this system in the ensemble mode, chunk by chunk (lazily; see <see cref="EnsembleSolver.Chunks{T, TState, TSystem}"/>).
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="y0">Initial values, [trajectories x dim].</param>
    /// <param name="parameters">[trajectories x Parameters.Length].</param>
    /// <param name="times">Output times shared by every trajectory.</param>
    /// <param name="options">Method, controller, limits.</param>
    /// <param name="ensemble">Slices, compaction and chunks.</param>
    /// <exception cref="ArgumentException">The dimension does not fit the system or an input is malformed.</exception>
    public IEnumerable<Solution<T>> SolveEnsemble<T>(OdeDevice device, T[,] y0, T[,] parameters, double[] times,
        SolveOptions options, EnsembleOptions? ensemble = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Dispatch(y0.GetLength(1), new EnsembleChunksOf<T>(device, y0, parameters, times, options, ensemble));

    // The one place that maps a name (and exp-decay's dimension) to the state and system types.
    private TResult Dispatch<T, TResult>(int dimension, ISystemAction<T, TResult> action) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Dimension is { } d && d != dimension)
            throw new ArgumentException($"y0 must have {d} components for {Name}, but has {dimension}", "y0");
        if (dimension is < 1 or > 4)
            throw new ArgumentException($"y0 must have 1 to 4 components for {Name}, but has {dimension}", "y0");
        return Name switch
        {
            "exp-decay" => dimension switch
            {
                1 => action.Run<Vec1<T>, ExpDecay<T, Vec1<T>>>(),
                2 => action.Run<Vec2<T>, ExpDecay<T, Vec2<T>>>(),
                3 => action.Run<Vec3<T>, ExpDecay<T, Vec3<T>>>(),
                _ => action.Run<Vec4<T>, ExpDecay<T, Vec4<T>>>(),
            },
            "harmonic" => action.Run<Vec2<T>, Harmonic<T>>(),
            "lorenz" => action.Run<Vec3<T>, Lorenz<T>>(),
            "vanderpol" => action.Run<Vec2<T>, VanDerPol<T>>(),
            "lotka-volterra" => action.Run<Vec2<T>, LotkaVolterra<T>>(),
            "brusselator" => action.Run<Vec2<T>, Brusselator<T>>(),
            "arenstorf" => action.Run<Vec4<T>, Arenstorf<T>>(),
            "kepler" => action.Run<Vec4<T>, Kepler<T>>(),
            _ => throw new ArgumentException($"SYSTEM '{Name}' has no dynamics", "SYSTEM"),
        };
    }

    /// <summary>Work that needs a built-in system's state and system types.</summary>
    private interface ISystemAction<T, out TResult> where T : unmanaged, IFloatingPointIeee754<T>
    {
        TResult Run<TState, TSystem>()
            where TState : unmanaged, IStateVector<TState, T>
            where TSystem : struct, IOdeSystem<T, TState>;
    }

    private sealed class BatchedDynamicsOf<T>(OdeDevice device, T[,] parameters) : ISystemAction<T, IBatchedDynamics<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public IBatchedDynamics<T> Run<TState, TSystem>()
            where TState : unmanaged, IStateVector<TState, T>
            where TSystem : struct, IOdeSystem<T, TState> =>
            new SystemDynamics<T, TState, TSystem>(device, default, parameters);
    }

    private sealed class EnsembleChunksOf<T>(OdeDevice device, T[,] y0, T[,] parameters, double[] times, SolveOptions options, EnsembleOptions? ensemble)
        : ISystemAction<T, IEnumerable<Solution<T>>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public IEnumerable<Solution<T>> Run<TState, TSystem>()
            where TState : unmanaged, IStateVector<TState, T>
            where TSystem : struct, IOdeSystem<T, TState>
        {
            var states = new TState[y0.GetLength(0)];
            var components = new T[TState.Dimension];
            for (var i = 0; i < states.Length; i++)
            {
                for (var d = 0; d < components.Length; d++)
                    components[d] = y0[i, d];
                states[i] = TState.FromComponents(components);
            }
            return EnsembleSolver.Chunks(device, default(TSystem), states, parameters, times, options, ensemble);
        }
    }
}
