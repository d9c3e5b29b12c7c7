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
/// <param name="Dimension">The state dimension, or null for any up to <see cref="MaxDimension"/> (exp-decay).</param>
/// <param name="Description">One line for the help text.</param>
public sealed record BuiltInSystem(string Name, string[] Parameters, double[] Defaults, int? Dimension, string Description)
{
    /// <summary>The largest state dimension of a built-in system (the largest state vector, <see cref="Vec32{T}"/>).</summary>
    public const int MaxDimension = 32;

    /// <summary>Every built-in system.</summary>
    public static IReadOnlyList<BuiltInSystem> All { get; } =
    [
        new("exp-decay", ["k"], [0.7], null, "dy/dt = -k y, componentwise, 1 to 32 components"),
        new("harmonic", ["w"], [2.0], 2, "x' = v, v' = -w^2 x"),
        new("lorenz", ["s", "r", "b"], [10.0, 28.0, 8.0 / 3], 3, "x' = s(y - x), y' = x(r - z) - y, z' = xy - bz"),
        new("vanderpol", ["mu"], [1.0], 2, "x' = v, v' = mu (1 - x^2) v - x"),
        new("lotka-volterra", ["a", "b", "c", "d"], [1.5, 1.0, 3.0, 1.0], 2, "x' = a x - b x y, y' = -c y + d x y"),
        new("brusselator", ["A", "B"], [1.0, 3.0], 2, "x' = A + x^2 y - (B + 1) x, y' = B x - x^2 y"),
        new("arenstorf", ["mu"], [0.012277471], 4, "restricted three-body orbit (x, y, x', y')"),
        new("kepler", [], [], 4, "two-body problem r'' = -r / |r|^3 (x, y, x', y')"),
        new("pleiades", [], [], 28, "seven bodies in the plane, masses 1 to 7 (x1..x7, y1..y7, x1'..x7', y1'..y7')"),
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

    /// <summary>
    /// Runs <paramref name="action"/> with this system's state and system types (the one place that maps a name, and
    /// exp-decay's dimension, to them), for work the layers above need them for, e.g. differentiable dynamics.
    /// </summary>
    /// <exception cref="ArgumentException">The dimension does not fit the system.</exception>
    public TResult Dispatch<T, TResult>(int dimension, ISystemAction<T, TResult> action) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Dimension is { } d && d != dimension)
            throw new ArgumentException($"y0 must have {d} components for {Name}, but has {dimension}", "y0");
        if (dimension is < 1 or > MaxDimension)
            throw new ArgumentException($"y0 must have 1 to {MaxDimension} components for {Name}, but has {dimension}", "y0");
        return Name switch
        {
            "exp-decay" => dimension switch
            {
                1 => Decay<Vec1<T>>(),
                2 => Decay<Vec2<T>>(),
                3 => Decay<Vec3<T>>(),
                4 => Decay<Vec4<T>>(),
                5 => Decay<Vec5<T>>(),
                6 => Decay<Vec6<T>>(),
                7 => Decay<Vec7<T>>(),
                8 => Decay<Vec8<T>>(),
                9 => Decay<Vec9<T>>(),
                10 => Decay<Vec10<T>>(),
                11 => Decay<Vec11<T>>(),
                12 => Decay<Vec12<T>>(),
                13 => Decay<Vec13<T>>(),
                14 => Decay<Vec14<T>>(),
                15 => Decay<Vec15<T>>(),
                16 => Decay<Vec16<T>>(),
                17 => Decay<Vec17<T>>(),
                18 => Decay<Vec18<T>>(),
                19 => Decay<Vec19<T>>(),
                20 => Decay<Vec20<T>>(),
                21 => Decay<Vec21<T>>(),
                22 => Decay<Vec22<T>>(),
                23 => Decay<Vec23<T>>(),
                24 => Decay<Vec24<T>>(),
                25 => Decay<Vec25<T>>(),
                26 => Decay<Vec26<T>>(),
                27 => Decay<Vec27<T>>(),
                28 => Decay<Vec28<T>>(),
                29 => Decay<Vec29<T>>(),
                30 => Decay<Vec30<T>>(),
                31 => Decay<Vec31<T>>(),
                _ => Decay<Vec32<T>>(),
            },
            "harmonic" => action.Run<Vec2<T>, Harmonic<T>>(),
            "lorenz" => action.Run<Vec3<T>, Lorenz<T>>(),
            "vanderpol" => action.Run<Vec2<T>, VanDerPol<T>>(),
            "lotka-volterra" => action.Run<Vec2<T>, LotkaVolterra<T>>(),
            "brusselator" => action.Run<Vec2<T>, Brusselator<T>>(),
            "arenstorf" => action.Run<Vec4<T>, Arenstorf<T>>(),
            "kepler" => action.Run<Vec4<T>, Kepler<T>>(),
            "pleiades" => action.Run<Vec28<T>, Pleiades<T>>(),
            _ => throw new ArgumentException($"SYSTEM '{Name}' has no dynamics", "SYSTEM"),
        };

        TResult Decay<TState>() where TState : unmanaged, IStateVector<TState, T> => action.Run<TState, ExpDecay<T, TState>>();
    }

    /// <summary>Work that needs a built-in system's state and system types.</summary>
    /// <typeparam name="T">The state scalar.</typeparam>
    /// <typeparam name="TResult">What the work returns.</typeparam>
    public interface ISystemAction<T, out TResult> where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>Does the work with the system's state type <typeparamref name="TState"/> and system type <typeparamref name="TSystem"/>.</summary>
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
            where TSystem : struct, IOdeSystem<T, TState> =>
            EnsembleSolver.Chunks(device, default(TSystem), StateRows.ToStates<T, TState>(y0), parameters, times, options, ensemble);
    }
}
