using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Gradients;
using OdeGpu.Tableaux;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Neural.Classifiers;

/// <summary>
/// One of the paper's Table 1 models (<see cref="ClassifierArchitecture"/>) bound to a device and a batch size: the mean
/// cross-entropy of a batch, its gradient in every parameter, and the predicted classes. The ODE block is solved by
/// Dopri5 from t = 0 to 1 with one step size for the batch, its gradient by the continuous adjoint (ODE-Net) or by
/// backpropagation through the steps (RK-Net). Parameters and gradients are flat, in PyTorch's state-dict order.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TP">Its precision.</typeparam>
public sealed class ImageClassifier<T, TP> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
{
    private readonly OdeDevice _device;
    private readonly List<IDisposable> _owned = [];
    private readonly ConvStack<T, TP>? _down, _headNorm;
    private readonly ConvStack<T, TP>[] _branches = [];
    private readonly ArrayView<T>[] _blockOutputs = [];
    private readonly ConvOdeFunction<T, TP>? _function;
    private readonly AdjointSolver<T>? _solver;
    private readonly LinearLayerArgs<T>[] _dense;
    private readonly ArrayView<T> _features, _featuresBar, _scratchBar, _cotangents, _pooled, _pooledBar, _loss, _logitsBar;
    private readonly ArrayView<double> _time;
    private readonly ArrayView<int> _labels;
    private readonly int[] _offsets;

    /// <summary>Allocates the model's buffers and uploads its parameters.</summary>
    /// <param name="device">The device.</param>
    /// <param name="architecture">The model.</param>
    /// <param name="rows">Images per batch.</param>
    /// <param name="parameters">Every parameter in the order of <see cref="ClassifierArchitecture.Tensors"/>.</param>
    /// <exception cref="ArgumentException">The rows are not positive or the parameters do not match the architecture.</exception>
    public ImageClassifier(OdeDevice device, ClassifierArchitecture architecture, int rows, T[] parameters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (parameters.Length != architecture.ParameterCount)
            throw new ArgumentException($"parameters must hold {architecture.ParameterCount} values for {architecture.Kind} at width {architecture.Width}, but hold {parameters.Length}", nameof(parameters));
        _device = device;
        Architecture = architecture;
        Rows = rows;
        try
        {
            Parameters = Keep(device.Upload(parameters)).View;
            Gradient = Allocate<T>(parameters.Length);
            _time = Allocate<double>(rows);
            _labels = Allocate<int>(rows);
            Images = Allocate<T>((long)rows * ClassifierArchitecture.Image.Size);
            var widths = architecture.DenseWidths;
            var denseOffset = parameters.Length - Enumerable.Range(0, widths.Length - 1).Sum(l => widths[l + 1] * (widths[l] + 1));
            _offsets = [.. Parts(architecture).Select(p => p.Offset), denseOffset];
            if (architecture.Kind != ClassifierKind.Mlp)
            {
                var shape = architecture.Features;
                var size = (long)rows * shape.Size;
                _down = Keep(new ConvStack<T, TP>(device, rows, ClassifierArchitecture.Image, architecture.Downsampling, Slice(0)));
                if (architecture.HasOdeBlock)
                {
                    _function = Keep(new ConvOdeFunction<T, TP>(device, rows, shape, architecture.OdeFunction, Slice(1)));
                    _solver = Keep(new AdjointSolver<T>(_function, OdeBlockOptions(architecture)));
                    _cotangents = Allocate<T>(2 * size);
                }
                else
                {
                    _branches = [.. Enumerable.Range(0, architecture.ResidualBlocks).Select(b => Keep(new ConvStack<T, TP>(device, rows, shape, architecture.ResidualBranch(b), Slice(1 + b))))];
                    _blockOutputs = [.. _branches.Select(_ => Allocate<T>(size))];
                }
                _headNorm = Keep(new ConvStack<T, TP>(device, rows, shape, architecture.HeadNorm, Slice(_offsets.Length - 2)));
                _features = Allocate<T>(size);
                _featuresBar = Allocate<T>(size);
                _scratchBar = Allocate<T>(size);
                _pooled = Allocate<T>((long)rows * architecture.Width);
                _pooledBar = Allocate<T>((long)rows * architecture.Width);
            }
            _dense = DenseLayers(widths, denseOffset);
            _loss = Allocate<T>(rows);
            _logitsBar = Allocate<T>((long)rows * ClassifierArchitecture.Classes);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The model.</summary>
    public ClassifierArchitecture Architecture { get; }

    /// <summary>Images per batch.</summary>
    public int Rows { get; }

    /// <summary>The parameters, flat in state-dict order; an optimizer updates them in place.</summary>
    public ArrayView<T> Parameters { get; }

    /// <summary>After <see cref="Backward"/>: the mean loss's gradient in every parameter.</summary>
    public ArrayView<T> Gradient { get; }

    /// <summary>The batch's images, [rows x 784], pixels in [0, 1]; fill it before <see cref="Forward"/>.</summary>
    public ArrayView<T> Images { get; }

    /// <summary>The ODE block's evaluations of f in the last forward solve (0 without an ODE block).</summary>
    public double ForwardEvaluations { get; private set; }

    /// <summary>The ODE block's evaluations of f and its VJP in the last backward pass (0 without an ODE block).</summary>
    public double BackwardEvaluations { get; private set; }

    /// <summary>
    /// The options of the ODE block's solve: Dopri5 at rtol = atol = tolerance with one step size for the batch and
    /// torchdiffeq's integral controller (factor 0.9 err^(-1/5) in [0.2, 10]), so that the evaluations compare with its
    /// (the PI controller grows the step more slowly: 32 forward evaluations against 20 in the first epochs of M2).
    /// </summary>
    public static SolveOptions OdeBlockOptions(ClassifierArchitecture architecture) => new()
    {
        Method = Methods.Dopri5,
        Controller = new IntegralController(architecture.Tolerance, architecture.Tolerance),
        SharedStep = true,
        Adjoint = architecture.Kind == ClassifierKind.RkNet ? new DiscreteAdjoint { KeepEvaluations = true } : new ContinuousAdjoint(),
    };

    /// <summary>Runs the batch in <see cref="Images"/> through the model and returns its logits, [rows, 10].</summary>
    /// <exception cref="InvalidOperationException">The ODE block's solve failed (its status says how); the parameters are as they were.</exception>
    public T[,] Forward()
    {
        var logits = _dense[^1].H;
        if (_down is null)
        {
            SimdPrimitives.MlpForward<T, TP, Relu>(_device, Dense(Images));
            return Download(logits);
        }
        _down.Forward(Images, _time);
        var features = _down.Result;
        if (_solver is not null)
        {
            _solver.ForwardOnDevice(features, [0.0, 1.0]);
            _device.LaunchElements(BufferKernels.CopyRows<T>, _features.Length, RowCopy(_solver.Forward.Output, 1, _features, 0));
            features = _features;
            var outcome = _solver.Forward.Outcome();
            ThrowIfFailed(outcome.Status, "forward");
            ForwardEvaluations = outcome.Statistics.Evaluations.Average();
        }
        for (var b = 0; b < _branches.Length; b++)
        {
            _branches[b].Forward(features, _time);
            SimdPrimitives.Add(_device, new BufferArgs<T> { A = features, B = _branches[b].Result, Target = _blockOutputs[b] }, features.Length);
            features = _blockOutputs[b];
        }
        _headNorm!.Forward(features, _time);
        var head = Head(_headNorm.Result);
        _device.Launch(ClassifierHeadKernels.Pool<T, TP>, Rows * Architecture.Width, head);
        SimdPrimitives.MlpForward<T, TP, Relu>(_device, Dense(_pooled));
        return Download(logits);
    }

    /// <summary>The mean cross-entropy of the last <see cref="Forward"/> against <paramref name="labels"/>, and its gradient in the logits for <see cref="Backward"/>.</summary>
    /// <param name="labels">Each row's class in [0, 10).</param>
    /// <exception cref="ArgumentException">A label is out of range or the count is not <see cref="Rows"/>.</exception>
    public double Loss(int[] labels)
    {
        if (labels.Length != Rows || labels.Any(l => l is < 0 or >= ClassifierArchitecture.Classes))
            throw new ArgumentException($"labels must hold {Rows} classes in [0, {ClassifierArchitecture.Classes})", nameof(labels));
        _labels.CopyFromCPU(labels);
        var head = new ClassifierHeadArgs<T> { Logits = _dense[^1].H, Labels = _labels, Loss = _loss, LogitsBar = _logitsBar, Rows = Rows, Classes = ClassifierArchitecture.Classes };
        _device.Launch(ClassifierHeadKernels.CrossEntropy<T, TP>, Rows, head);
        return _device.Download(_loss).Average(double.CreateTruncating);
    }

    /// <summary>The gradient of the last <see cref="Loss"/> in every parameter, into <see cref="Gradient"/>.</summary>
    /// <exception cref="InvalidOperationException">The ODE block's backward solve failed; <see cref="Gradient"/> is not to be used.</exception>
    public void Backward()
    {
        var layers = Dense(_down is null ? Images : _pooled);
        layers[^1] = layers[^1] with { HBar = _logitsBar };
        SimdPrimitives.MlpBackward<T, TP, Relu>(_device, layers);
        if (_down is null)
            return;
        _device.LaunchElements(ClassifierHeadKernels.PoolAdjoint<T, TP>, _scratchBar.Length, Head(_headNorm!.Result) with { Pooled = _pooledBar, MapsBar = _scratchBar });
        var bar = _featuresBar;
        _headNorm.Backward(_scratchBar, Slice(_offsets.Length - 2, Gradient), bar, _time, default);
        for (var b = _branches.Length - 1; b >= 0; b--)
        {
            _branches[b].Backward(bar, Slice(1 + b, Gradient), _scratchBar, _time, default);
            SimdPrimitives.Add(_device, new BufferArgs<T> { A = bar, B = _scratchBar, Target = bar }, bar.Length);
        }
        if (_solver is not null)
        {
            _cotangents.MemSetToZero();
            _device.LaunchElements(BufferKernels.CopyRows<T>, bar.Length, RowCopy(bar, 0, _cotangents, 1));
            _solver.BackwardOnDevice(_cotangents);
            _solver.SharedParameterGradient.SubView(0, _function!.ParameterCount).CopyTo(Slice(1, Gradient));
            _solver.InitialStateGradient.CopyTo(bar);
            var outcome = _solver.Outcome();
            ThrowIfFailed(outcome.Status, "adjoint");
            BackwardEvaluations = outcome.Statistics.Evaluations.Average();
        }
        _down.Backward(bar, Slice(0, Gradient), default, _time, default);
    }

    /// <summary>Frees every device buffer.</summary>
    public void Dispose()
    {
        for (var k = _owned.Count - 1; k >= 0; k--)
            _owned[k].Dispose();
        _owned.Clear();
    }

    // A failed ODE solve leaves no loss or gradient to train on: stop with what happened rather than step on NaN.
    private static void ThrowIfFailed(IReadOnlyList<TrajectoryStatus> status, string solve)
    {
        var failed = status.Where(s => s != TrajectoryStatus.Success).ToArray();
        if (failed.Length > 0)
            throw new InvalidOperationException($"the ODE block's {solve} solve failed for {failed.Length} of {status.Count} images ({failed[0]}): lower the learning rate or loosen --tolerance");
    }

    // The model's parts before the dense layers, in parameter order, with their parameter offsets.
    private static IEnumerable<(string Part, int Offset)> Parts(ClassifierArchitecture a)
    {
        if (a.Kind == ClassifierKind.Mlp)
            yield break;
        var offset = 0;
        yield return ("down", offset);
        offset += ImageLayers.ParameterCount(ClassifierArchitecture.Image, a.Downsampling);
        if (a.HasOdeBlock)
        {
            yield return ("ode", offset);
            offset += ImageLayers.ParameterCount(a.Features, a.OdeFunction);
        }
        else
            for (var b = 0; b < a.ResidualBlocks; b++)
            {
                yield return ($"block{b}", offset);
                offset += ImageLayers.ParameterCount(a.Features, a.ResidualBranch(b));
            }
        yield return ("head", offset);
    }

    private ArrayView<T> Slice(int part) => Slice(part, Parameters);

    private ArrayView<T> Slice(int part, ArrayView<T> flat) => flat.SubView(_offsets[part], _offsets[part + 1] - _offsets[part]);

    private LinearLayerArgs<T>[] DenseLayers(int[] widths, int offset)
    {
        var layers = new LinearLayerArgs<T>[widths.Length - 1];
        for (var l = 0; l < layers.Length; l++)
        {
            int inputs = widths[l], outputs = widths[l + 1];
            var size = (long)Rows * outputs;
            layers[l] = new LinearLayerArgs<T>
            {
                W = Parameters.SubView(offset, (long)outputs * inputs), B = Parameters.SubView(offset + outputs * inputs, outputs),
                WBar = Gradient.SubView(offset, (long)outputs * inputs), BBar = Gradient.SubView(offset + outputs * inputs, outputs),
                Z = Allocate<T>(size), H = Allocate<T>(size), ZBar = Allocate<T>(size), HBar = Allocate<T>(size), XBar = Allocate<T>((long)Rows * inputs),
                Time = _time, TimeBar = Allocate<T>(Rows), In = inputs, Out = outputs, Rows = Rows, ParameterStride = (int)Parameters.Length,
            };
            offset += outputs * (inputs + 1);
        }
        return layers;
    }

    // The dense layers chained from x: each layer's input its predecessor's output, each's input cotangent its predecessor's HBar.
    private LinearLayerArgs<T>[] Dense(ArrayView<T> x)
    {
        var layers = new LinearLayerArgs<T>[_dense.Length];
        for (var l = 0; l < layers.Length; l++)
            layers[l] = _dense[l] with
            {
                X = l == 0 ? x : _dense[l - 1].H, XBar = l == 0 ? (_pooledBar.Length > 0 ? _pooledBar : _dense[0].XBar) : _dense[l - 1].HBar,
            };
        return layers;
    }

    private ClassifierHeadArgs<T> Head(ArrayView<T> maps) => new()
    {
        Maps = maps, Pooled = _pooled, Rows = Rows, Channels = Architecture.Width, Pixels = Architecture.Features.Pixels, Classes = ClassifierArchitecture.Classes,
    };

    // Copies of rows between [rows x from times x dim] and [rows x to times x dim] layouts.
    private BufferArgs<T> RowCopy(ArrayView<T> source, int sourceTime, ArrayView<T> target, int targetTime)
    {
        var width = Architecture.Features.Size;
        var sourceTimes = (int)(source.Length / ((long)Rows * width));
        var targetTimes = (int)(target.Length / ((long)Rows * width));
        return new BufferArgs<T>
        {
            A = source, Target = target, Width = width, AStride = sourceTimes * width, AOffset = sourceTime * width, TargetStride = targetTimes * width,
            TargetOffset = targetTime * width,
        };
    }

    private T[,] Download(ArrayView<T> logits)
    {
        var flat = _device.Download(logits);
        var result = new T[Rows, ClassifierArchitecture.Classes];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        return result;
    }

    private ArrayView<TElement> Allocate<TElement>(long length) where TElement : unmanaged => Keep(_device.Allocate<TElement>(length)).View;

    private TOwned Keep<TOwned>(TOwned owned) where TOwned : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
