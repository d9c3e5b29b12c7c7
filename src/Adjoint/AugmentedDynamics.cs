using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Batched;
using OdeGpu.Device;

namespace OdeGpu.Adjoint;

/// <summary>
/// The continuous adjoint's backward dynamics as batch dynamics over augmented rows [z, a, a_theta, a_t]:
/// d/dt = [f, -a^T df/dz, -a^T df/dtheta, -a^T df/dt], from one VJP of the forward dynamics per evaluation. With
/// <c>shared</c>, a_theta is the batch's one adjoint of shared parameters spread over the rows
/// (<see cref="AugmentedLayout.Shared"/>), its derivative the VJP summed over the rows.
/// </summary>
internal sealed class AugmentedDynamics<T> : IBatchedDynamics<T>, IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IDifferentiableDynamics<T> _dynamics;
    private readonly MemoryBuffer1D<T, Stride1D.Dense>[] _buffers;
    private readonly AdjointArgs<T> _args;

    /// <summary>Allocates the split-out pieces of every row once; <paramref name="shared"/> spreads one a_theta of the batch over its rows (shared parameters, shared steps).</summary>
    public AugmentedDynamics(IDifferentiableDynamics<T> dynamics, bool shared)
    {
        _dynamics = dynamics;
        var rows = dynamics.Rows;
        Layout = shared ? AugmentedLayout.Shared(dynamics.Dimension, dynamics.ParameterCount, rows) : new AugmentedLayout(dynamics.Dimension, dynamics.ParameterCount);
        var states = (long)rows * dynamics.Dimension;
        var device = dynamics.Device;
        _buffers = [.. new[] { states, states, states, states, Math.Max(1L, (shared ? 1L : rows) * dynamics.ParameterCount), rows }.Select(device.Allocate<T>)];
        _args = new AdjointArgs<T>
        {
            Layout = Layout,
            Z = _buffers[0].View,
            A = _buffers[1].View,
            F = _buffers[2].View,
            AdjointZ = _buffers[3].View,
            AdjointParameters = _buffers[4].View,
            AdjointTime = _buffers[5].View,
        };
    }

    /// <summary>Where the pieces sit in a row.</summary>
    public AugmentedLayout Layout { get; }

    /// <inheritdoc />
    public OdeDevice Device => _dynamics.Device;

    /// <inheritdoc />
    public int Rows => _dynamics.Rows;

    /// <inheritdoc />
    public int Dimension => Layout.Width;

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy)
    {
        var states = (long)Rows * Layout.Dimension;
        Device.LaunchElements(AdjointKernels.Split, states, _args with { Augmented = y, Length = states });
        _dynamics.Vjp(time, _args.Z, _args.A, _args.F, _args.AdjointZ, _args.AdjointParameters, _args.AdjointTime, Layout.SharedParameters != 0);
        Device.LaunchElements(AdjointKernels.Join, y.Length, _args with { Augmented = y, Derivative = dy, Length = y.Length });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }
}
