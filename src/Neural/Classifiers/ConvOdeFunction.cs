using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Adjoint;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural.Classifiers;

/// <summary>
/// An ODE block's dynamics dh/dt = f(t, h) over feature maps: a <see cref="ConvStack{T, TP}"/> whose convolutions see
/// the time (torchdiffeq's ODEfunc), with its VJP for both adjoints of <see cref="AdjointSolver{T}"/>. The parameters
/// are shared by the rows, and the VJP sums their gradient over the rows.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TP">Its precision.</typeparam>
public sealed class ConvOdeFunction<T, TP> : IDifferentiableDynamics<T>, IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
{
    private readonly ConvStack<T, TP> _stack;
    private readonly List<(ConvStack<T, TP> Stack, MemoryBuffer1D<T, Stride1D.Dense> Y, MemoryBuffer1D<double, Stride1D.Dense> Time)> _slots = [];
    private readonly Func<ConvStack<T, TP>> _newStack;

    /// <summary>Binds f to its parameters and allocates its activations.</summary>
    /// <param name="device">The device.</param>
    /// <param name="rows">Rows per evaluation.</param>
    /// <param name="shape">One row's feature maps; f keeps the shape.</param>
    /// <param name="layers">f's layers.</param>
    /// <param name="parameters">f's parameters, in the order of <see cref="ImageLayers.Tensors"/>.</param>
    /// <exception cref="ArgumentException">The layers change the shape, or the parameters do not match them.</exception>
    public ConvOdeFunction(OdeDevice device, int rows, ImageShape shape, IReadOnlyList<ImageLayer> layers, ArrayView<T> parameters)
    {
        if (ImageLayers.OutputOf(shape, layers) != shape)
            throw new ArgumentException($"the layers must keep the feature maps' shape {shape}, but make {ImageLayers.OutputOf(shape, layers)} of it", nameof(layers));
        _newStack = () => new ConvStack<T, TP>(device, rows, shape, layers, parameters);
        _stack = _newStack();
        Device = device;
    }

    /// <inheritdoc />
    public OdeDevice Device { get; }

    /// <inheritdoc />
    public int Rows => _stack.Rows;

    /// <inheritdoc />
    public int Dimension => _stack.Input.Size;

    /// <inheritdoc />
    public int ParameterCount => (int)_stack.Parameters.Length;

    /// <inheritdoc />
    public bool SharedParameters => true;

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy) => Evaluate(_stack, time, y, dy);

    /// <inheritdoc />
    /// <exception cref="NotSupportedException"><paramref name="sumRows"/> is false: per-row gradients of shared convolutions would take [rows x parameters].</exception>
    public void Vjp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false)
    {
        Evaluate(_stack, time, y, f);
        Backward(_stack, time, a, aY, aTheta, aT, sumRows);
    }

    /// <inheritdoc />
    public bool KeepsEvaluations => true;

    /// <inheritdoc />
    /// <remarks>Each slot keeps its own activations (a stack's worth) and its point, made at its first use.</remarks>
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy, int slot)
    {
        var (stack, keptY, keptTime) = Slot(slot);
        y.CopyTo(keptY.View.AsContiguous());
        time.CopyTo(keptTime.View.AsContiguous());
        Evaluate(stack, keptTime.View, keptY.View, dy);
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException"><paramref name="sumRows"/> is false.</exception>
    public void Vjp(int slot, ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false)
    {
        var (stack, _, keptTime) = Slot(slot);
        Backward(stack, keptTime.View, a, aY, aTheta, aT, sumRows);
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: the adjoints need VJPs only, and f's forward mode is not written.</exception>
    public void Jvp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> v, ArrayView<T> jv) =>
        throw new NotSupportedException("a convolutional ODE function has no JVP; its gradients come from VJPs (both adjoints)");

    /// <summary>Frees the activations.</summary>
    public void Dispose()
    {
        _stack.Dispose();
        foreach (var (stack, y, time) in _slots)
        {
            stack.Dispose();
            y.Dispose();
            time.Dispose();
        }
        _slots.Clear();
    }

    private static void Evaluate(ConvStack<T, TP> stack, ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy)
    {
        stack.Forward(y, time);
        stack.Result.CopyTo(dy);
    }

    // The VJP of the stack's last forward pass, the parameters' part summed over the rows.
    private void Backward(ConvStack<T, TP> stack, ArrayView<double> time, ArrayView<T> a, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows)
    {
        if (!sumRows)
            throw new NotSupportedException("a convolutional ODE function gives its parameters' gradient summed over the rows only (sumRows: true)");
        stack.Backward(a, aTheta.SubView(0, ParameterCount), aY, time, aT);
    }

    // Slot `slot`: a stack's activations and the point they were evaluated at (the caller's may change before the VJP).
    private (ConvStack<T, TP> Stack, MemoryBuffer1D<T, Stride1D.Dense> Y, MemoryBuffer1D<double, Stride1D.Dense> Time) Slot(int slot)
    {
        while (_slots.Count <= slot)
            _slots.Add((_newStack(), Device.Allocate<T>((long)Rows * Dimension), Device.Allocate<double>(Rows)));
        return _slots[slot];
    }
}
