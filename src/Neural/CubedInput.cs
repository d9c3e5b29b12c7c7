using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Adjoint;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>
/// Dynamics f(y^3, t) from dynamics f: the input cubed elementwise first, as torchdiffeq's ode_demo's network sees
/// y**3 (and its true spiral is y^3 A). Its VJP in y is the inner one's times 3 y^2; the rest passes through.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
public sealed class CubedInput<T> : IDifferentiableDynamics<T>, IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IDifferentiableDynamics<T> _inner;
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _cube, _scratch;

    /// <summary>Wraps <paramref name="inner"/>, allocating one state's scratch.</summary>
    public CubedInput(IDifferentiableDynamics<T> inner)
    {
        _inner = inner;
        _cube = inner.Device.Allocate<T>((long)inner.Rows * inner.Dimension);
        _scratch = inner.Device.Allocate<T>((long)inner.Rows * inner.Dimension);
    }

    /// <inheritdoc />
    public OdeDevice Device => _inner.Device;

    /// <inheritdoc />
    public int Rows => _inner.Rows;

    /// <inheritdoc />
    public int Dimension => _inner.Dimension;

    /// <inheritdoc />
    public int ParameterCount => _inner.ParameterCount;

    /// <inheritdoc />
    public bool SharedParameters => _inner.SharedParameters;

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy) => _inner.Evaluate(time, Cubed(y), dy);

    /// <inheritdoc />
    public void Vjp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false)
    {
        _inner.Vjp(time, Cubed(y), a, f, _scratch.View, aTheta, aT, sumRows);
        Chain(y, _scratch.View, aY);
    }

    /// <inheritdoc />
    public void Jvp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> v, ArrayView<T> jv)
    {
        Chain(y, v, _scratch.View);
        _inner.Jvp(time, Cubed(y), _scratch.View, jv);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cube.Dispose();
        _scratch.Dispose();
    }

    private ArrayView<T> Cubed(ArrayView<T> y)
    {
        Device.LaunchElements(CubeKernels.Forward, y.Length, new CubeArgs<T> { Y = y, Cube = _cube.View });
        return _cube.View;
    }

    // out = 3 y^2 in, elementwise.
    private void Chain(ArrayView<T> y, ArrayView<T> input, ArrayView<T> output) =>
        Device.LaunchElements(CubeKernels.Derivative, y.Length, new CubeArgs<T> { Y = y, In = input, Out = output });
}
