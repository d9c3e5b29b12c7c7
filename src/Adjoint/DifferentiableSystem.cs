using System.Numerics;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Differentiation;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Adjoint;

/// <summary>
/// A per-trajectory <see cref="IOdeSystem{T, TState}"/> over a batch as <see cref="IDifferentiableDynamics{T}"/>: its
/// derivatives come from its own Evaluate run on dual numbers, or from its <see cref="IVjpSystem{T, TState}"/>, so a
/// user system needs no hand-written Jacobian. Each row has its own parameters, and its gradient stays per row.
/// </summary>
/// <typeparam name="T">The state scalar: float or double.</typeparam>
/// <typeparam name="TState">The state vector.</typeparam>
/// <typeparam name="TSystem">The system, generic over its arithmetic type.</typeparam>
public sealed class DifferentiableSystem<T, TState, TSystem> : IDifferentiableDynamics<T>, IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TSystem : struct, IOdeSystem<T, TState>
{
    private readonly SystemDynamics<T, TState, TSystem> _dynamics;
    private readonly SystemDerivatives<T, TState, TSystem> _derivatives;

    /// <summary>Uploads every row's parameters and loads the derivative kernels.</summary>
    /// <param name="device">The device.</param>
    /// <param name="system">The right-hand side.</param>
    /// <param name="parameters">[rows x system.ParameterCount]; null uses the system's fields for every row (no parameter gradient then).</param>
    /// <param name="rows">Number of rows when <paramref name="parameters"/> is null.</param>
    /// <param name="useSystemVjp">Whether a system's own <see cref="IVjpSystem{T, TState}"/> is used (false: dual numbers always).</param>
    /// <exception cref="ArgumentException">The parameters do not fit the system, or it is not generic over its arithmetic type.</exception>
    public DifferentiableSystem(OdeDevice device, TSystem system, T[,]? parameters, int rows = 0, bool useSystemVjp = true)
    {
        _dynamics = parameters is null
            ? new SystemDynamics<T, TState, TSystem>(device, system, rows)
            : new SystemDynamics<T, TState, TSystem>(device, system, parameters);
        try
        {
            _derivatives = new SystemDerivatives<T, TState, TSystem>(_dynamics, useSystemVjp);
        }
        catch
        {
            _dynamics.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public OdeDevice Device => _dynamics.Device;

    /// <inheritdoc />
    public int Rows => _dynamics.Rows;

    /// <inheritdoc />
    public int Dimension => TState.Dimension;

    /// <inheritdoc />
    public int ParameterCount => _dynamics.ParameterCount;

    /// <inheritdoc />
    public bool SharedParameters => false;

    /// <summary>The derivative kernels (how many dual passes a product takes, or whether the system's own VJP is used).</summary>
    public SystemDerivatives<T, TState, TSystem> Derivatives => _derivatives;

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy) => _dynamics.Evaluate(time, y, dy);

    /// <inheritdoc />
    public void Vjp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false)
    {
        if (sumRows)
            throw new ArgumentException("sumRows needs shared parameters, but each row of a system has its own", nameof(sumRows));
        // the derivative kernels do not return f itself, so it is one more evaluation
        _dynamics.Evaluate(time, y, f);
        _derivatives.Vjp(time, y, a, aY, aT, aTheta);
    }

    /// <inheritdoc />
    public void Jvp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> v, ArrayView<T> jv) => _derivatives.Jvp(time, y, v, jv);

    /// <inheritdoc />
    public void Dispose() => _dynamics.Dispose();
}
