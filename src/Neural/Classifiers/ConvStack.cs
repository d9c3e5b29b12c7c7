using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural.Classifiers;

/// <summary>
/// A sequence of convolutions, GroupNorms and ReLUs over a batch, bound to a device, a row count and its parameters
/// (a view of a model's flat parameters, in PyTorch's state-dict order). It allocates every activation once; the
/// forward pass keeps them for the backward pass, which writes the parameters' gradient (summed over the rows), the
/// input's cotangent and, with time channels, each row's time cotangent.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TP">Its precision.</typeparam>
public sealed class ConvStack<T, TP> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
{
    private readonly OdeDevice _device;
    private readonly List<IDisposable> _buffers = [];
    private readonly Step[] _steps;
    private readonly ArrayView<T> _barA, _barB, _timeBar;

    /// <summary>Allocates the stack's buffers.</summary>
    /// <param name="device">The device.</param>
    /// <param name="rows">Rows per batch.</param>
    /// <param name="input">One row's input shape.</param>
    /// <param name="layers">The layers, first to last.</param>
    /// <param name="parameters">The layers' parameters in the order of <see cref="ImageLayers.Tensors"/>: <see cref="ImageLayers.ParameterCount"/> values.</param>
    /// <exception cref="ArgumentException">The parameters' length does not match the layers.</exception>
    public ConvStack(OdeDevice device, int rows, ImageShape input, IReadOnlyList<ImageLayer> layers, ArrayView<T> parameters)
    {
        var count = ImageLayers.ParameterCount(input, layers);
        if (parameters.Length != count)
            throw new ArgumentException($"parameters must hold {count} values for these layers on {input}, but hold {parameters.Length}", nameof(parameters));
        _device = device;
        Rows = rows;
        Input = input;
        _steps = new Step[layers.Count];
        try
        {
            var (shape, offset, largest) = (input, 0, input.Size);
            for (var l = 0; l < layers.Count; l++)
            {
                var output = layers[l].OutputOf(shape);
                var size = ImageLayers.ParameterCount(shape, [layers[l]]);
                _steps[l] = new Step(layers[l], shape, output, offset, size, Allocate((long)rows * output.Size),
                    layers[l] is GroupNorm ? Allocate(2L * rows * GroupNorm.GroupsOf(shape.Channels)) : default,
                    layers[l] is GroupNorm && !device.IsDirect ? Allocate(2L * rows * GroupNorm.GroupsOf(shape.Channels)) : default)
                {
                    W = layers[l] is Convolution ? parameters.SubView(offset, layers[l].Tensors(shape)[0].Shape.Aggregate(1, (n, d) => n * d)) : default,
                };
                (shape, offset, largest) = (output, offset + size, Math.Max(largest, output.Size));
            }
            Output = shape;
            Parameters = parameters;
            _barA = Allocate((long)rows * largest);
            _barB = Allocate((long)rows * largest);
            _timeBar = Allocate(rows);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Rows per batch.</summary>
    public int Rows { get; }

    /// <summary>One row's input shape.</summary>
    public ImageShape Input { get; }

    /// <summary>One row's output shape.</summary>
    public ImageShape Output { get; }

    /// <summary>The layers' parameters.</summary>
    public ArrayView<T> Parameters { get; }

    /// <summary>After <see cref="Forward"/>: the last layer's output, [rows x output size].</summary>
    public ArrayView<T> Result => _steps.Length == 0 ? default : _steps[^1].Y;

    /// <summary>Runs every layer from <paramref name="x"/> into <see cref="Result"/>, keeping what the backward pass needs.</summary>
    /// <param name="x">The input, [rows x input size]; it must not change before <see cref="Backward"/>.</param>
    /// <param name="time">Each row's time, [rows], read by time channels.</param>
    public void Forward(ArrayView<T> x, ArrayView<double> time)
    {
        for (var l = 0; l < _steps.Length; l++)
        {
            var step = _steps[l] with { X = l == 0 ? x : _steps[l - 1].Y };
            _steps[l] = step;
            switch (step.Layer)
            {
                case Convolution:
                    SimdPrimitives.Conv2dForward<T, TP>(_device, ConvolutionArgs(step, time));
                    break;
                case GroupNorm:
                    SimdPrimitives.GroupNormForward<T, TP>(_device, NormArgs(step));
                    break;
                default:
                    SimdPrimitives.Activate<T, Relu>(_device, new ActivationArgs<T> { X = step.X, Y = step.Y }, step.Y.Length);
                    break;
            }
        }
    }

    /// <summary>
    /// The VJP of the last <see cref="Forward"/>: the parameters' gradient summed over the rows into
    /// <paramref name="gradient"/>, the input's cotangent into <paramref name="inputBar"/> unless it is empty, and the
    /// rows' time cotangents into <paramref name="timeBar"/> unless it is empty.
    /// </summary>
    /// <param name="outputBar">The output's cotangent, [rows x output size]; left unchanged.</param>
    /// <param name="gradient">Written: dL/dparameters, as many as <see cref="Parameters"/>.</param>
    /// <param name="inputBar">Written unless empty: dL/dx, [rows x input size].</param>
    /// <param name="time">The times of the forward pass.</param>
    /// <param name="timeBar">Written unless empty: dL/dt of each row, [rows].</param>
    public void Backward(ArrayView<T> outputBar, ArrayView<T> gradient, ArrayView<T> inputBar, ArrayView<double> time, ArrayView<T> timeBar)
    {
        if (timeBar.Length > 0)
            timeBar.MemSetToZero();
        var (bar, first) = (outputBar, true);
        for (var l = _steps.Length - 1; l >= 0; l--)
        {
            var step = _steps[l];
            var input = l > 0 || inputBar.Length > 0;
            var xBar = l == 0 ? inputBar : (first ? _barA : _barB).SubView(0, step.X.Length);
            var parameters = step.Size > 0 ? gradient.SubView(step.Offset, step.Size) : default;
            switch (step.Layer)
            {
                case Convolution convolution:
                    var args = ConvolutionArgs(step, time) with
                    {
                        YBar = bar, XBar = xBar, WBar = parameters.SubView(0, step.W.Length), BBar = convolution.Bias ? parameters.SubView(step.W.Length, convolution.Out) : default,
                        TimeBar = _timeBar,
                    };
                    SimdPrimitives.Conv2dBackward<T, TP>(_device, args, input);
                    if (convolution.TimeChannel && timeBar.Length > 0)
                        SimdPrimitives.Add(_device, new BufferArgs<T> { A = timeBar, B = _timeBar, Target = timeBar }, Rows);
                    break;
                case GroupNorm:
                    SimdPrimitives.GroupNormBackward<T, TP>(_device, NormArgs(step) with { YBar = bar, XBar = xBar, ParameterBar = parameters }, input);
                    break;
                default:
                    if (input)
                        SimdPrimitives.ActivationAdjoint<T, Relu>(_device, new ActivationArgs<T> { X = step.X, YBar = bar, XBar = xBar }, step.X.Length);
                    break;
            }
            (bar, first) = (xBar, !first);
        }
    }

    /// <summary>Frees the activations.</summary>
    public void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
        _buffers.Clear();
    }

    private Conv2dArgs<T> ConvolutionArgs(Step step, ArrayView<double> time)
    {
        var layer = (Convolution)step.Layer;
        return new Conv2dArgs<T>
        {
            X = step.X, Time = time, W = step.W, B = layer.Bias ? Parameters.SubView(step.Offset + step.W.Length, layer.Out) : default, Y = step.Y,
            Rows = Rows, In = step.In.Channels, Out = layer.Out, Height = step.In.Height, Width = step.In.Width, Kernel = layer.Kernel, Stride = layer.Stride,
            Padding = layer.Padding, TimeChannel = layer.TimeChannel ? 1 : 0,
        };
    }

    private GroupNormArgs<T> NormArgs(Step step) => new()
    {
        X = step.X, Gamma = Parameters.SubView(step.Offset, step.In.Channels), Beta = Parameters.SubView(step.Offset + step.In.Channels, step.In.Channels),
        Stats = step.Stats, Sums = step.Sums, Y = step.Y, Rows = Rows, Channels = step.In.Channels, Groups = GroupNorm.GroupsOf(step.In.Channels),
        Pixels = step.In.Pixels, Epsilon = 1e-5,
    };

    private ArrayView<T> Allocate(long length)
    {
        var buffer = _device.Allocate<T>(length);
        _buffers.Add(buffer);
        return buffer.View;
    }

    // A layer bound to its place: shapes, its parameters' offset and count, its output and (GroupNorm) statistics, and
    // the input of the last forward pass.
    private sealed record Step(ImageLayer Layer, ImageShape In, ImageShape Out, int Offset, int Size, ArrayView<T> Y, ArrayView<T> Stats, ArrayView<T> Sums)
    {
        public ArrayView<T> X { get; init; }

        public ArrayView<T> W { get; init; }
    }
}
