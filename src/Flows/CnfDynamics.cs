using System.Numerics;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Adjoint;
using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.Precision;

namespace OdeGpu.Flows;

/// <summary>
/// A continuous normalizing flow's dynamics over augmented rows [z, delta log p, kinetic, Frobenius]: dz/dt = f(z, t)
/// of a dense network in <see cref="MlpDynamics{T, TActivation}"/>'s layout, d(delta log p)/dt = -tr(df/dz) (exact or
/// Hutchinson's estimate), and, where on, RNODE's regularizers |f|^2 and ||df/dz||_F^2 (estimated along the same
/// directions as the trace). Its VJP holds the exact second derivatives the trace's gradients need, so both adjoints
/// of <see cref="AdjointSolver{T}"/> train it. The parameters are a view the caller owns, shared by every row.
/// </summary>
/// <typeparam name="T">The scalar: float or double.</typeparam>
/// <typeparam name="TActivation">The activation between layers.</typeparam>
public sealed class CnfDynamics<T, TActivation> : IFlowDynamics<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TActivation : struct, IActivation
{
    private static readonly Action<OdeDevice, CnfArgs<T>> EvaluatePass = Closed<Action<OdeDevice, CnfArgs<T>>>(typeof(SimdPrimitives), nameof(SimdPrimitives.CnfEvaluate));
    private static readonly Action<OdeDevice, CnfArgs<T>, bool> VjpPass = Closed<Action<OdeDevice, CnfArgs<T>, bool>>(typeof(SimdPrimitives), nameof(SimdPrimitives.CnfVjp));
    private static readonly Action<Index1D, CnfArgs<T>> JvpKernel = Closed<Action<Index1D, CnfArgs<T>>>(typeof(CnfKernels), nameof(CnfKernels.Jvp));

    private readonly List<IDisposable> _buffers = [];
    private readonly CnfArgs<T> _args;
    private readonly T[] _noise;
    private MemoryBuffer1D<T, Stride1D.Dense>? _rowScratch, _partials;

    /// <summary>Allocates the scratch of every slice of rows and the noise (what only VJPs need, at their first use).</summary>
    /// <param name="device">The device.</param>
    /// <param name="rows">Rows (samples) per evaluation.</param>
    /// <param name="widths">The network's widths from the flow's dimension d back to d, e.g. [2, 64, 64, 64, 2].</param>
    /// <param name="parameters">The network's parameters on <paramref name="device"/>, <see cref="MlpDynamics{T, TActivation}.ParameterCountOf"/> values.</param>
    /// <param name="layer">How the layers see the time.</param>
    /// <param name="trace">The trace: exact, or Hutchinson's along noise that <see cref="DrawNoise"/> draws.</param>
    /// <param name="kinetic">Carry the kinetic energy, the integral of |f|^2, as a state.</param>
    /// <param name="frobenius">Carry the integral of ||df/dz||_F^2 as a state.</param>
    /// <exception cref="ArgumentException">A width, the rows or the parameters' length is wrong.</exception>
    public CnfDynamics(OdeDevice device, int rows, int[] widths, ArrayView<T> parameters, MlpLayer layer = MlpLayer.ConcatSquash,
        TraceEstimator trace = TraceEstimator.Exact, bool kinetic = false, bool frobenius = false)
    {
        Validate(rows, widths, parameters, layer);
        Device = device;
        Rows = rows;
        Trace = trace;
        ParameterCount = (int)parameters.Length;
        var dimension = widths[0];
        var directions = trace == TraceEstimator.Exact ? dimension : 1;
        var rowsPerSlice = device.IsDirect ? Math.Max(8, (rows + 31) / 32) : Math.Max(1, (rows + 4095) / 4096);
        _noise = new T[(long)rows * dimension];
        try
        {
            _args = new CnfArgs<T>
            {
                Theta = parameters, ThetaT = Keep(device.Allocate<T>(parameters.Length)).View, Widths = Keep(device.Upload(widths)).View,
                Rows = rows, RowsPerSlice = rowsPerSlice, Layers = widths.Length - 1, Dimension = dimension, Directions = directions, Hutchinson = trace == TraceEstimator.Exact ? 0 : 1,
                TimeColumn = layer == MlpLayer.ConcatLinear ? 1 : 0, Squash = layer == MlpLayer.ConcatSquash ? 1 : 0,
                Kinetic = kinetic ? 1 : 0, Frobenius = frobenius ? 1 : 0, MaxWidth = widths.Max(), ParameterCount = ParameterCount,
            };
            _args = _args with
            {
                ScratchLength = CnfKernels.ScratchLength(widths, directions, _args.Width), Noise = Keep(device.Allocate<T>(_noise.Length)).View,
            };
            _args = _args with { Scratch = Keep(device.Allocate<T>((long)_args.Slices * _args.ScratchLength)).View };
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
    public int FlowDimension => _args.Dimension;

    /// <inheritdoc />
    /// <remarks>The augmented row: d + 1, plus one per regularizer.</remarks>
    public int Dimension => _args.Width;

    /// <inheritdoc />
    public int ParameterCount { get; }

    /// <inheritdoc />
    public bool SharedParameters => true;

    /// <summary>How the trace is computed.</summary>
    public TraceEstimator Trace { get; }

    /// <inheritdoc />
    public int KineticIndex => _args.Kinetic != 0 ? _args.Dimension + 1 : -1;

    /// <inheritdoc />
    public int FrobeniusIndex => _args.Frobenius != 0 ? _args.Dimension + 1 + _args.Kinetic : -1;

    /// <summary>
    /// Draws Hutchinson's direction of every row (the exact trace needs none): call once before a solve, so that the
    /// forward and backward passes see the same estimator.
    /// </summary>
    public void DrawNoise(Random random)
    {
        if (Trace == TraceEstimator.Exact)
            return;
        for (var k = 0; k < _noise.Length; k++)
            _noise[k] = T.CreateTruncating(Trace == TraceEstimator.Rademacher ? (random.Next(2) == 0 ? -1.0 : 1.0) : Gaussian.Next(random));
        _args.Noise.CopyFromCPU(_noise);
    }

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy) => EvaluatePass(Device, _args with { Time = time, Y = y, Dy = dy });

    /// <inheritdoc />
    public void Vjp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false)
    {
        var args = _args with { Time = time, Y = y, A = a, Dy = f, AY = aY, ATime = aT };
        if (sumRows)
            VjpPass(Device, args with { ThetaBar = aTheta, Partials = Partials() }, true);
        else
            VjpPass(Device, args with { RowsPerSlice = 1, Scratch = RowScratch(), Partials = aTheta }, false);
    }

    /// <inheritdoc />
    public void Jvp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> v, ArrayView<T> jv)
    {
        Transpose();
        Device.Launch(JvpKernel, _args.Slices, _args with { Time = time, Y = y, A = v, AY = jv }, parallelFrom: 1);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _rowScratch?.Dispose();
        _partials?.Dispose();
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    // The weights as they are now, transposed: an optimizer may have changed them since the last call.
    private void Transpose() => Device.Launch(CnfKernels.Transpose<T>, ParameterCount, _args);

    // Each slice's partial sum of the parameter gradient, allocated at the first VJP summed over the rows (evaluations
    // alone, as of a density on a large grid, need none).
    private ArrayView<T> Partials() => (_partials ??= Device.Allocate<T>(Math.Max(1L, (long)_args.Slices * ParameterCount))).View;

    // Scratch for one row per slice, the per-row VJP's, allocated at its first use.
    private ArrayView<T> RowScratch() => (_rowScratch ??= Device.Allocate<T>((long)Rows * _args.ScratchLength)).View;

    private TBuffer Keep<TBuffer>(TBuffer buffer) where TBuffer : IDisposable
    {
        _buffers.Add(buffer);
        return buffer;
    }

    // A pass or kernel closed over the scalar, its precision and the activation.
    private static TDelegate Closed<TDelegate>(Type type, string name) where TDelegate : Delegate => type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!
        .MakeGenericMethod(typeof(T), PrecisionOf.Struct<T>(), typeof(TActivation)).CreateDelegate<TDelegate>();

    private static void Validate(int rows, int[] widths, ArrayView<T> parameters, MlpLayer layer)
    {
        if (rows < 1)
            throw new ArgumentException($"rows must be at least 1, but was {rows}", nameof(rows));
        if (widths.Length < 2 || widths.Any(w => w < 1))
            throw new ArgumentException($"widths must hold at least two positive sizes (d, ..., d), but was [{string.Join(", ", widths)}]", nameof(widths));
        if (widths[0] != widths[^1])
            throw new ArgumentException($"widths must end at the flow's dimension, {widths[0]}, as f maps z to dz/dt, but end at {widths[^1]}", nameof(widths));
        var expected = MlpDynamics<T, TActivation>.ParameterCountOf(widths, layer);
        if (parameters.Length != expected)
            throw new ArgumentException($"parameters must hold {expected} values for widths [{string.Join(", ", widths)}] with {layer} layers, but holds {parameters.Length}", nameof(parameters));
    }
}
