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
    public IBatchedDynamics<T> Create<T>(OdeDevice device, T[,] parameters, int dimension) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckDimension(dimension);
        return Name switch
        {
            "exp-decay" => dimension switch
            {
                1 => new SystemDynamics<T, Vec1<T>, ExpDecay<T, Vec1<T>>>(device, default, parameters),
                2 => new SystemDynamics<T, Vec2<T>, ExpDecay<T, Vec2<T>>>(device, default, parameters),
                3 => new SystemDynamics<T, Vec3<T>, ExpDecay<T, Vec3<T>>>(device, default, parameters),
                _ => new SystemDynamics<T, Vec4<T>, ExpDecay<T, Vec4<T>>>(device, default, parameters),
            },
            "harmonic" => new SystemDynamics<T, Vec2<T>, Harmonic<T>>(device, default, parameters),
            "lorenz" => new SystemDynamics<T, Vec3<T>, Lorenz<T>>(device, default, parameters),
            "vanderpol" => new SystemDynamics<T, Vec2<T>, VanDerPol<T>>(device, default, parameters),
            "lotka-volterra" => new SystemDynamics<T, Vec2<T>, LotkaVolterra<T>>(device, default, parameters),
            "brusselator" => new SystemDynamics<T, Vec2<T>, Brusselator<T>>(device, default, parameters),
            "arenstorf" => new SystemDynamics<T, Vec4<T>, Arenstorf<T>>(device, default, parameters),
            "kepler" => new SystemDynamics<T, Vec4<T>, Kepler<T>>(device, default, parameters),
            _ => throw new ArgumentException($"SYSTEM '{Name}' has no dynamics", "SYSTEM"),
        };
    }

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
        SolveOptions options, EnsembleOptions? ensemble = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dimension = y0.GetLength(1);
        CheckDimension(dimension);
        return Name switch
        {
            "exp-decay" => dimension switch
            {
                1 => Chunks<Vec1<T>, ExpDecay<T, Vec1<T>>>(),
                2 => Chunks<Vec2<T>, ExpDecay<T, Vec2<T>>>(),
                3 => Chunks<Vec3<T>, ExpDecay<T, Vec3<T>>>(),
                _ => Chunks<Vec4<T>, ExpDecay<T, Vec4<T>>>(),
            },
            "harmonic" => Chunks<Vec2<T>, Harmonic<T>>(),
            "lorenz" => Chunks<Vec3<T>, Lorenz<T>>(),
            "vanderpol" => Chunks<Vec2<T>, VanDerPol<T>>(),
            "lotka-volterra" => Chunks<Vec2<T>, LotkaVolterra<T>>(),
            "brusselator" => Chunks<Vec2<T>, Brusselator<T>>(),
            "arenstorf" => Chunks<Vec4<T>, Arenstorf<T>>(),
            "kepler" => Chunks<Vec4<T>, Kepler<T>>(),
            _ => throw new ArgumentException($"SYSTEM '{Name}' has no dynamics", "SYSTEM"),
        };

        IEnumerable<Solution<T>> Chunks<TState, TSystem>()
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

    private void CheckDimension(int dimension)
    {
        if (Dimension is { } d && d != dimension)
            throw new ArgumentException($"y0 must have {d} components for {Name}, but has {dimension}", "y0");
        if (dimension is < 1 or > 4)
            throw new ArgumentException($"y0 must have 1 to 4 components for {Name}, but has {dimension}", "y0");
    }
}
