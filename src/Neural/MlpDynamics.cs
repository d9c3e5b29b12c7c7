using System.Numerics;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Adjoint;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural;

/// <summary>
/// Neural ODE dynamics dz/dt = f(z, t) with f a multilayer perceptron: dense layers in PyTorch's layout, the activation
/// between them and none after the last, each layer autonomous or seeing the time as an <see cref="MlpLayer"/> says
/// (torchdiffeq's and FFJORD's ConcatLinear, FFJORD's ConcatSquashLinear). The parameters are shared by every row,
/// flat in the order of PyTorch's state dict under its names (<see cref="ParameterNames"/>). The forward pass and the
/// VJP summed over the rows are the device layer's <see cref="SimdPrimitives.MlpForward"/> and
/// <see cref="SimdPrimitives.MlpBackward"/> (one kernel per layer and pass, and SIMD twins on the CPU that take blocks
/// of rows through all layers); each row's own parameter part, and the JVP, are layer kernels. Evaluations kept in
/// slots spare the discrete adjoint's VJPs their forward passes.
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
    private readonly List<Kept> _slots = [];
    private readonly Pass _forward, _backward;
    private readonly Kernel[] _preActivation, _tangent;
    private readonly Kernel _inputAdjoint, _timeAdjoint, _rowParameters;
    private readonly ArrayView<T> _output;

    /// <summary>Uploads the parameters and allocates every layer's buffers for <paramref name="rows"/> rows.</summary>
    /// <param name="device">The device.</param>
    /// <param name="rows">Rows (trajectories) per evaluation.</param>
    /// <param name="widths">Features from the state through the hidden layers back to the state, e.g. [2, 50, 2].</param>
    /// <param name="parameters">Every layer's parameters in the order of <see cref="ParameterNames"/>, flat: <see cref="ParameterCountOf"/> values.</param>
    /// <param name="layer">How the layers see the time.</param>
    /// <exception cref="ArgumentException">A width, the rows or the parameters' length is wrong.</exception>
    public MlpDynamics(OdeDevice device, int rows, int[] widths, T[] parameters, MlpLayer layer = MlpLayer.Linear)
    {
        Validate(rows, widths, parameters, layer);
        Device = device;
        Rows = rows;
        _widths = (int[])widths.Clone();
        ParameterCount = parameters.Length;
        var last = widths.Length - 2;
        _forward = Primitive(nameof(SimdPrimitives.MlpForward));
        _backward = Primitive(nameof(SimdPrimitives.MlpBackward));
        _preActivation = [.. Enumerable.Range(0, last + 1).Select(l => LayerKernel(nameof(LinearLayerKernels.PreActivationAdjoint), l == last))];
        _tangent = [.. Enumerable.Range(0, last + 1).Select(l => Kernel.Of(nameof(LinearLayerKernels.Tangent), typeof(T), PrecisionOf.Struct<T>(), l == last ? typeof(Identity) : typeof(TActivation)))];
        _inputAdjoint = Kernel.Of(nameof(LinearLayerKernels.InputAdjoint), typeof(T), PrecisionOf.Struct<T>());
        _timeAdjoint = Kernel.Of(nameof(LinearLayerKernels.TimeAdjoint), typeof(T), PrecisionOf.Struct<T>());
        _rowParameters = Kernel.Of(nameof(LinearLayerKernels.RowParameterAdjoint), typeof(T), PrecisionOf.Struct<T>());
        try
        {
            var weights = Keep(device.Upload(parameters)).View;
            Parameters = weights;
            var timeColumn = layer == MlpLayer.ConcatLinear ? 1 : 0;
            var squash = layer == MlpLayer.ConcatSquash;
            _output = Allocate((long)rows * Dimension);
            _layers = new LinearLayerArgs<T>[last + 1];
            var offset = 0;
            for (var l = 0; l <= last; l++)
            {
                int inputs = widths[l], outputs = widths[l + 1], columns = timeColumn + inputs;
                var size = (long)rows * outputs;
                var linear = outputs * columns + outputs;
                _layers[l] = new LinearLayerArgs<T>
                {
                    W = weights.SubView(offset, (long)outputs * columns), B = weights.SubView(offset + outputs * columns, outputs),
                    Z = Allocate(size), H = Allocate(size), ZBar = Allocate(size), HBar = Allocate(size), HDot = Allocate(size),
                    In = inputs, Out = outputs, TimeColumn = timeColumn, Rows = rows, ParameterOffset = offset, ParameterStride = parameters.Length,
                };
                if (squash)
                    _layers[l] = _layers[l] with
                    {
                        Squash = 1, D = weights.SubView(offset + linear, outputs), G = weights.SubView(offset + linear + outputs, outputs),
                        C = weights.SubView(offset + linear + 2 * outputs, outputs), L = Allocate(size), LBar = Allocate(size),
                    };
                offset += (int)_layers[l].ParameterCount;
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

    /// <summary>The parameters on the device, flat in the order of <see cref="ParameterNames"/>: an optimizer updates them in place.</summary>
    public ArrayView<T> Parameters { get; }

    /// <summary>The number of parameters of an MLP of these widths and layers.</summary>
    public static int ParameterCountOf(int[] widths, MlpLayer layer = MlpLayer.Linear) => ParameterNames(widths, layer).Sum(p => p.Shape.Aggregate(1, (n, d) => n * d));

    /// <summary>
    /// Every parameter tensor in the flat order: PyTorch's state-dict name (as <see cref="MlpLayer"/> lists them), its
    /// offset in the flat parameters and its shape as PyTorch's (a weight [out, in], a bias [out], a squash's hyper
    /// weights [out, 1]).
    /// </summary>
    public static IReadOnlyList<(string Name, int Offset, int[] Shape)> ParameterNames(int[] widths, MlpLayer layer = MlpLayer.Linear)
    {
        var names = new List<(string, int, int[])>();
        var offset = 0;
        void Add(string name, params int[] shape)
        {
            names.Add((name, offset, shape));
            offset += shape.Aggregate(1, (n, d) => n * d);
        }
        for (var l = 0; l + 1 < widths.Length; l++)
        {
            int inputs = widths[l], outputs = widths[l + 1];
            var prefix = layer == MlpLayer.Linear ? $"net.{2 * l}." : $"layers.{l}._layer.";
            Add(prefix + "weight", outputs, (layer == MlpLayer.ConcatLinear ? 1 : 0) + inputs);
            Add(prefix + "bias", outputs);
            if (layer != MlpLayer.ConcatSquash)
                continue;
            Add($"layers.{l}._hyper_bias.weight", outputs, 1);
            Add($"layers.{l}._hyper_gate.weight", outputs, 1);
            Add($"layers.{l}._hyper_gate.bias", outputs);
        }
        return names;
    }

    /// <summary>
    /// PyTorch's default initialization of each nn.Linear, seeded: weights and biases uniform in +-1/sqrt(fan in), the
    /// fan in counting the time column (a squash's hyper-networks are Linear(1, out), so theirs is 1).
    /// </summary>
    public static T[] InitialParameters(int[] widths, int seed, MlpLayer layer = MlpLayer.Linear)
    {
        var random = new Random(seed);
        var parameters = new List<T>();
        foreach (var (name, _, shape) in ParameterNames(widths, layer))
        {
            var fanIn = name.Contains("._hyper_", StringComparison.Ordinal) ? 1 : (layer == MlpLayer.ConcatLinear ? 1 : 0) + widths[LayerOf(name)];
            var bound = 1 / Math.Sqrt(fanIn);
            for (var k = 0; k < shape.Aggregate(1, (n, d) => n * d); k++)
                parameters.Add(T.CreateTruncating((2 * random.NextDouble() - 1) * bound));
        }
        return [.. parameters];
    }

    // The layer index in a parameter's name: net.{2l}. or layers.{l}.
    private static int LayerOf(string name)
    {
        var index = int.Parse(name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        return name.StartsWith("net.", StringComparison.Ordinal) ? index / 2 : index;
    }

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy) => Forward(_layers, time, y, dy);

    /// <inheritdoc />
    public void Vjp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false) =>
        Backward(Forward(_layers, time, y, f), a, aY, aTheta, aT, sumRows);

    /// <inheritdoc />
    public bool KeepsEvaluations => true;

    /// <inheritdoc />
    /// <remarks>A slot holds every layer's pre-activations and hidden outputs (and a squash's linear part), allocated at its first use.</remarks>
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy, int slot)
    {
        var kept = Slot(slot);
        y.CopyTo(kept.Y);
        time.CopyTo(kept.Time);
        Forward(kept.Layers, kept.Time, kept.Y, dy);
    }

    /// <inheritdoc />
    public void Vjp(int slot, ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false)
    {
        var kept = Slot(slot);
        Backward(Wired(kept.Layers, kept.Time, kept.Y, kept.Layers[^1].H), a, aY, aTheta, aT, sumRows);
    }

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
                SquashBar = layers[l].Squash != 0 ? aTheta.SubView(layers[l].ParameterOffset + weights + layers[l].Out, 3 * layers[l].Out) : default,
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
            Launch(_rowParameters, Rows * layers[l].ParameterCount, layers[l]);
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

    // Slot `slot`, allocated at its first use: the layers whose pre-activations and hidden outputs it keeps (the last
    // layer's output is the caller's), and the point it was evaluated at.
    private Kept Slot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        while (_slots.Count <= slot)
            _slots.Add(new Kept([.. _layers.Select((l, i) => l with
            {
                Z = Allocate((long)Rows * l.Out), H = i == _layers.Length - 1 ? l.H : Allocate((long)Rows * l.Out), L = l.Squash != 0 ? Allocate((long)Rows * l.Out) : l.L,
            })], Allocate((long)Rows * Dimension), Keep(Device.Allocate<double>(Rows)).View));
        return _slots[slot];
    }

    // A kept evaluation: the layers' activations, and its states and times (the caller's may change before its VJP).
    private sealed record Kept(LinearLayerArgs<T>[] Layers, ArrayView<T> Y, ArrayView<double> Time);

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

    private static void Validate(int rows, int[] widths, T[] parameters, MlpLayer layer)
    {
        if (rows < 1)
            throw new ArgumentException($"rows must be at least 1, but was {rows}", nameof(rows));
        if (widths.Length < 2 || widths.Any(w => w < 1))
            throw new ArgumentException($"widths must hold at least two positive sizes (state, ..., state), but was [{string.Join(", ", widths)}]", nameof(widths));
        if (widths[0] != widths[^1])
            throw new ArgumentException($"widths must end at the state's size, {widths[0]}, as dynamics map a state to its derivative, but end at {widths[^1]}", nameof(widths));
        var expected = ParameterCountOf(widths, layer);
        if (parameters.Length != expected)
            throw new ArgumentException($"parameters must hold {expected} values for widths [{string.Join(", ", widths)}] with {layer} layers, but holds {parameters.Length}", nameof(parameters));
    }

    // A layer kernel closed over its type arguments.
    private sealed record Kernel(Action<Index1D, LinearLayerArgs<T>> Body)
    {
        public static Kernel Of(string name, params Type[] typeArguments) => new(typeof(LinearLayerKernels)
            .GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(typeArguments)
            .CreateDelegate<Action<Index1D, LinearLayerArgs<T>>>());
    }
}
