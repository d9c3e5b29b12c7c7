using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Batched;

/// <summary>A per-trajectory <see cref="IOdeSystem{T, TState}"/> with one parameter row per trajectory, as batch dynamics.</summary>
public sealed class SystemDynamics<T, TState, TSystem> : IBatchedDynamics<T>, IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TSystem : struct, IOdeSystem<T, TState>
{
    private readonly TSystem _system;
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _parameters;
    private readonly Action<Index1D, SystemArgs<T, TSystem>> _kernel;
    private readonly int _parameterCount;

    /// <summary>Uploads the parameters of every trajectory.</summary>
    /// <param name="device">The device.</param>
    /// <param name="system">The right-hand side.</param>
    /// <param name="parameters">[rows x system.ParameterCount]; rows may be 0 columns wide for systems without parameters.</param>
    /// <exception cref="ArgumentException">The shape does not match the system or a parameter is not finite.</exception>
    public SystemDynamics(OdeDevice device, TSystem system, T[,] parameters)
        : this(device, system, parameters.GetLength(0), parameters)
    {
    }

    /// <summary>Evaluates <paramref name="system"/> with its own fields as the parameters of every row.</summary>
    /// <param name="device">The device.</param>
    /// <param name="system">The right-hand side, its parameters already in its fields.</param>
    /// <param name="rows">Number of rows (trajectories).</param>
    /// <exception cref="ArgumentException">There are no rows.</exception>
    public SystemDynamics(OdeDevice device, TSystem system, int rows)
        : this(device, system, rows, null)
    {
    }

    private SystemDynamics(OdeDevice device, TSystem system, int rows, T[,]? parameters)
    {
        if (rows < 1)
            throw new ArgumentException($"there must be at least one row (one per trajectory), but there are {rows}", nameof(rows));
        if (parameters is not null)
            InputValidation.Parameters(parameters, rows, system.ParameterCount);
        Device = device;
        Rows = rows;
        _system = system;
        _parameterCount = parameters?.GetLength(1) ?? 0;
        _parameters = device.Upload(parameters is { Length: > 0 } ? parameters.Cast<T>().ToArray() : new T[1]);
        _kernel = typeof(SystemKernels).GetMethod(nameof(SystemKernels.Evaluate))!
            .MakeGenericMethod(typeof(T), PrecisionOf.Struct<T>(), typeof(TState), typeof(TSystem))
            .CreateDelegate<Action<Index1D, SystemArgs<T, TSystem>>>();
    }

    /// <inheritdoc />
    public OdeDevice Device { get; }

    /// <inheritdoc />
    public int Rows { get; }

    /// <inheritdoc />
    public int Dimension => TState.Dimension;

    /// <summary>The right-hand side.</summary>
    public TSystem System => _system;

    /// <summary>Parameters per row in <see cref="Parameters"/>; 0 when the system's own fields hold them.</summary>
    public int ParameterCount => _parameterCount;

    /// <summary>The parameters on the device, [rows x parameters] (one unused element when the system's fields hold them).</summary>
    public ArrayView<T> Parameters => _parameters.View;

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy) =>
        Device.Launch(_kernel, Rows, new SystemArgs<T, TSystem>
        {
            System = _system,
            Time = time,
            Y = y,
            Parameters = _parameters.View,
            ParameterCount = _parameterCount,
            Dy = dy,
        });

    /// <inheritdoc />
    public void Dispose() => _parameters.Dispose();
}
