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

    /// <summary>Uploads the parameters of every trajectory.</summary>
    /// <param name="device">The device.</param>
    /// <param name="system">The right-hand side.</param>
    /// <param name="parameters">[rows x system.ParameterCount]; rows may be 0 columns wide for systems without parameters.</param>
    /// <exception cref="ArgumentException">The shape does not match the system or a parameter is not finite.</exception>
    public SystemDynamics(OdeDevice device, TSystem system, T[,] parameters)
    {
        var rows = parameters.GetLength(0);
        if (rows < 1)
            throw new ArgumentException("parameters must have at least one row (one per trajectory)", nameof(parameters));
        if (parameters.GetLength(1) != system.ParameterCount)
            throw new ArgumentException(
                $"parameters must be [{rows} x {system.ParameterCount}] for {typeof(TSystem).Name.Split('`')[0]}, but has {parameters.GetLength(1)} columns",
                nameof(parameters));
        for (var r = 0; r < rows; r++)
            for (var p = 0; p < system.ParameterCount; p++)
                if (!T.IsFinite(parameters[r, p]))
                    throw new ArgumentException($"parameters[{r}, {p}] is {parameters[r, p]}: parameters must be finite", nameof(parameters));
        Device = device;
        Rows = rows;
        _system = system;
        _parameters = device.Upload(parameters.Cast<T>().ToArray());
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

    /// <summary>The parameters on the device, [rows x parameters].</summary>
    public ArrayView<T> Parameters => _parameters.View;

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy) =>
        Device.Launch(_kernel, Rows, new SystemArgs<T, TSystem>
        {
            System = _system,
            Time = time,
            Y = y,
            Parameters = _parameters.View,
            ParameterCount = _system.ParameterCount,
            Dy = dy,
        });

    /// <inheritdoc />
    public void Dispose() => _parameters.Dispose();
}
