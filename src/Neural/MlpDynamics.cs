using System.Numerics;
using System.Reflection;
using ILGPU;
using OdeGpu.Adjoint;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural;

/// <summary>
/// Neural ODE dynamics dz/dt = f(z, t) with f a multilayer perceptron: dense layers in PyTorch's layout, the activation
/// between them and none after the last, optionally with t prepended to every layer's input (torchdiffeq's and FFJORD's
/// ConcatLinear). The parameters are shared by every row, flat in the order of PyTorch's state dict (each layer's
/// weight [out, in], then its bias). The forward pass and the VJP summed over the rows are the device layer's
/// <see cref="SimdPrimitives.MlpForward"/> and <see cref="SimdPrimitives.MlpBackward"/> (one kernel per layer and
/// pass, and SIMD twins on the CPU that take blocks of rows through all layers); each row's own parameter part, and
/// the JVP, are layer kernels.
/// </summary>
/// <typeparam name="T">The scalar: float or double.</typeparam>
/// <typeparam name="TActivation">The activation between layers.</typeparam>
public sealed class MlpDynamics<T, TActivation> : IDifferentiableDynamics<T>, IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
    where TActivation : struct, IActivation
{
    private readonly int[] _widths;
    private readonly List<IDisposable> _buffers = [];
    private readonly LinearLayerArgs<T>[] _layers;
    private readonly List<LinearLayerArgs<T>[]> _slots = [];
    private readonly Pass _forward, _backward;
    private readonly Kernel[] _preActivation, _tangent;
    private readonly Kernel _inputAdjoint, _timeAdjoint, _rowParameters;
    private readonly ArrayView<T> _output;

    /// <summary>Uploads the parameters and allocates every layer's buffers for <paramref name="rows"/> rows.</summary>
    /// <param name="device">The device.</param>
    /// <param name="rows">Rows (trajectories) per evaluation.</param>
    /// <param name="widths">Features from the state through the hidden layers back to the state, e.g. [2, 50, 2].</param>
    /// <param name="parameters">Every layer's weight [out, (1 +) in] then bias [out], flat: <see cref="ParameterCountOf"/> values.</param>
    /// <param name="concatTime">Prepend t to every layer's input (ConcatLinear).</param>
    /// <exception cref="ArgumentException">A width, the rows or the parameters' length is wrong.</exception>
    public MlpDynamics(OdeDevice device, int rows, int[] widths, T[] parameters, bool concatTime = false)
    {
        Validate(rows, widths, parameters, concatTime);
        Device = device;
        Rows = rows;
        _widths = (int[])widths.Clone();
        ParameterCount = parameters.Length;
        var last = widths.Length - 2;
        _forward = Primitive(nameof(SimdPrimitives.MlpForward));
        _backward = Primitive(nameof(SimdPrimitives.MlpBackward));
        _preActivation = [.. Enumerable.Range(0, last + 1).Select(l => LayerKernel(nameof(LinearLayerKernels.PreActivationAdjoint), l == last))];
        _tangent = [.. Enumerable.Range(0, last + 1).Select(l => LayerKernel(nameof(LinearLayerKernels.Tangent), l == last))];
        _inputAdjoint = Kernel.Of(nameof(LinearLayerKernels.InputAdjoint), typeof(T));
        _timeAdjoint = Kernel.Of(nameof(LinearLayerKernels.TimeAdjoint), typeof(T));
        _rowParameters = Kernel.Of(nameof(LinearLayerKernels.RowParameterAdjoint), typeof(T), PrecisionOf.Struct<T>());
        try
        {
            var weights = Keep(device.Upload(parameters)).View;
            var timeColumn = concatTime ? 1 : 0;
            _output = Allocate((long)rows * Dimension);
            _layers = new LinearLayerArgs<T>[last + 1];
            var offset = 0;
            for (var l = 0; l <= last; l++)
            {
                int inputs = widths[l], outputs = widths[l + 1], columns = timeColumn + inputs;
                var size = (long)rows * outputs;
                _layers[l] = new LinearLayerArgs<T>
                {
                    W = weights.SubView(offset, (long)outputs * columns), B = weights.SubView(offset + outputs * columns, outputs),
                    Z = Allocate(size), H = Allocate(size), ZBar = Allocate(size), HBar = Allocate(size), HDot = Allocate(size),
                    In = inputs, Out = outputs, TimeColumn = timeColumn, Rows = rows, ParameterOffset = offset, ParameterStride = parameters.Length,
                };
                offset += outputs * columns + outputs;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public OdeDevice Device { get; }

    /// <inheritdoc />
    public int Rows { get; }

    /// <inheritdoc />
    public int Dimension => _widths[0];

    /// <inheritdoc />
    public int ParameterCount { get; }

    /// <inheritdoc />
    public bool SharedParameters => true;

    /// <summary>The number of parameters of an MLP of these widths.</summary>
    public static int ParameterCountOf(int[] widths, bool concatTime = false) =>
        Enumerable.Range(0, widths.Length - 1).Sum(l => widths[l + 1] * ((concatTime ? 1 : 0) + widths[l]) + widths[l + 1]);

    /// <summary>
    /// PyTorch's default initialization of each layer, seeded: weights and biases uniform in +-1/sqrt(fan in), the fan
    /// in counting the time column.
    /// </summary>
    public static T[] InitialParameters(int[] widths, int seed, bool concatTime = false)
    {
        var random = new Random(seed);
        var parameters = new List<T>();
        for (var l = 0; l + 1 < widths.Length; l++)
        {
            var fanIn = (concatTime ? 1 : 0) + widths[l];
            var bound = 1 / Math.Sqrt(fanIn);
            for (var k = 0; k < widths[l + 1] * fanIn + widths[l + 1]; k++)
                parameters.Add(T.CreateTruncating((2 * random.NextDouble() - 1) * bound));
        }
        return [.. parameters];
    }

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy) => Forward(_layers, time, y, dy);

    /// <inheritdoc />
    public void Vjp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false) =>
        Backward(Forward(_layers, time, y, f), a, aY, aTheta, aT, sumRows);

    /// <inheritdoc />
    /// <remarks>A slot holds every layer's pre-activations and outputs: (2 x hidden widths + dim) values per row, allocated at its first use.</remarks>
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy, int slot) => Forward(Slot(slot), time, y, dy);

    /// <inheritdoc />
    public void Vjp(int slot, ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false) =>
        Backward(Wired(Slot(slot), time, y, Slot(slot)[^1].H), a, aY, aTheta, aT, sumRows);

    // The VJP from the layers of a forward pass whose activations are in place.
    private void Backward(LinearLayerArgs<T>[] layers, ArrayView<T> a, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows)
    {
        for (var l = layers.Length - 1; l >= 0; l--)
        {
            var weights = layers[l].W.Length;
            layers[l] = layers[l] with
            {
                HBar = l == layers.Length - 1 ? a : layers[l].HBar, XBar = l == 0 ? aY : layers[l - 1].HBar, TimeBar = aT,
                WBar = aTheta.SubView(layers[l].ParameterOffset, weights), BBar = aTheta.SubView(layers[l].ParameterOffset + weights, layers[l].Out),
                RowParameterBar = aTheta, AssignTime = l == layers.Length - 1 ? 1 : 0,
            };
        }
        if (sumRows)
        {
            _backward(Device, layers);
            return;
        }
        for (var l = layers.Length - 1; l >= 0; l--)
        {
            Launch(_preActivation[l], (long)Rows * layers[l].Out, layers[l]);
            Launch(_rowParameters, (long)Rows * (layers[l].W.Length + layers[l].Out), layers[l]);
            Launch(_timeAdjoint, Rows, layers[l]);
            Launch(_inputAdjoint, (long)Rows * layers[l].In, layers[l]);
        }
    }

    /// <inheritdoc />
    public void Jvp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> v, ArrayView<T> jv)
    {
        var layers = Forward(_layers, time, y, _output);
        for (var l = 0; l < layers.Length; l++)
            Launch(_tangent[l], (long)Rows * layers[l].Out, layers[l] with { V = l == 0 ? v : layers[l - 1].HDot, HDot = l == layers.Length - 1 ? jv : layers[l].HDot });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    // Every layer of `buffers` from y, the last writing into `output`; returns the layers' arguments with their inputs in place.
    private LinearLayerArgs<T>[] Forward(LinearLayerArgs<T>[] buffers, ArrayView<double> time, ArrayView<T> y, ArrayView<T> output)
    {
        var layers = Wired(buffers, time, y, output);
        _forward(Device, layers);
        return layers;
    }

    // The layers of `buffers` chained from y: each layer's input the last one's output, the last writing into `output`.
    private static LinearLayerArgs<T>[] Wired(LinearLayerArgs<T>[] buffers, ArrayView<double> time, ArrayView<T> y, ArrayView<T> output)
    {
        var layers = new LinearLayerArgs<T>[buffers.Length];
        for (var l = 0; l < layers.Length; l++)
            layers[l] = buffers[l] with { X = l == 0 ? y : layers[l - 1].H, Time = time, H = l == layers.Length - 1 ? output : buffers[l].H };
        return layers;
    }

    // The layers whose pre-activations and hidden outputs are kept slot `slot`'s, allocated at its first use; the last
    // layer's output is the caller's.
    private LinearLayerArgs<T>[] Slot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        while (_slots.Count <= slot)
            _slots.Add([.. _layers.Select((l, i) => l with { Z = Allocate((long)Rows * l.Out), H = i == _layers.Length - 1 ? l.H : Allocate((long)Rows * l.Out) })]);
        return _slots[slot];
    }

    private void Launch(Kernel kernel, long length, in LinearLayerArgs<T> args) => Device.LaunchElements(kernel.Body, length, args);

    // The last layer has no activation.
    private static Kernel LayerKernel(string name, bool last) => Kernel.Of(name, typeof(T), last ? typeof(Identity) : typeof(TActivation));

    // A pass through the device layer's primitives, which have SIMD twins on the CPU.
    private static Pass Primitive(string name) => typeof(SimdPrimitives).GetMethod(name)!
        .MakeGenericMethod(typeof(T), PrecisionOf.Struct<T>(), typeof(TActivation)).CreateDelegate<Pass>();

    private delegate void Pass(OdeDevice device, LinearLayerArgs<T>[] layers);

    private ArrayView<T> Allocate(long length) => Keep(Device.Allocate<T>(Math.Max(1, length))).View;

    private TBuffer Keep<TBuffer>(TBuffer buffer) where TBuffer : IDisposable
    {
        _buffers.Add(buffer);
        return buffer;
    }

    private static void Validate(int rows, int[] widths, T[] parameters, bool concatTime)
    {
        if (rows < 1)
            throw new ArgumentException($"rows must be at least 1, but was {rows}", nameof(rows));
        if (widths.Length < 2 || widths.Any(w => w < 1))
            throw new ArgumentException($"widths must hold at least two positive sizes (state, ..., state), but was [{string.Join(", ", widths)}]", nameof(widths));
        if (widths[0] != widths[^1])
            throw new ArgumentException($"widths must end at the state's size, {widths[0]}, as dynamics map a state to its derivative, but end at {widths[^1]}", nameof(widths));
        var expected = ParameterCountOf(widths, concatTime);
        if (parameters.Length != expected)
            throw new ArgumentException($"parameters must hold {expected} values for widths [{string.Join(", ", widths)}]{(concatTime ? " with the time column" : "")}, but holds {parameters.Length}", nameof(parameters));
    }

    // A layer kernel closed over its type arguments.
    private sealed record Kernel(Action<Index1D, LinearLayerArgs<T>> Body)
    {
        public static Kernel Of(string name, params Type[] typeArguments) => new(typeof(LinearLayerKernels)
            .GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(typeArguments)
            .CreateDelegate<Action<Index1D, LinearLayerArgs<T>>>());
    }
}
