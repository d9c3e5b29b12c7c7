using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Gradients;

namespace OdeGpu.Adjoint;

/// <summary>
/// The vector-Jacobian product of a whole batched solve by the continuous adjoint: a forward solve saves the states at
/// the output times, then, given dL/dz there (a device buffer), a backward solve of [z, a, a_theta, a_t] from the last
/// output time to the first gives dL/d(initial state), dL/dtheta and dL/d(output times). Bound to a device, a problem
/// shape and a method, it allocates once and is reused, like <see cref="BatchedSolver{T}"/>; its memory does not depend on
/// the number of steps.
/// </summary>
/// <typeparam name="T">The state scalar: float or double.</typeparam>
public sealed class AdjointSolver<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IDifferentiableDynamics<T> _dynamics;
    private readonly BatchedSolver<T> _forward, _backward;
    private readonly AugmentedDynamics<T> _augmented;
    private readonly List<IDisposable> _buffers = [];
    private readonly OutputHook _hook;
    private AdjointOutputArgs<T> _args;
    private double[] _times = [];

    /// <summary>Validates the options and allocates every device buffer of the forward and backward solves.</summary>
    /// <param name="dynamics">The differentiable batch right-hand side; its device runs the solves.</param>
    /// <param name="options">Method, controller, limits, and <see cref="SolveOptions.Adjoint"/> (a <see cref="ContinuousAdjoint"/>); null for the defaults.</param>
    /// <param name="maxOutputTimes">Most output times a solve may ask for (t0 and t1 included).</param>
    /// <exception cref="ArgumentException">An option is out of range, or the adjoint method is not a continuous adjoint.</exception>
    public AdjointSolver(IDifferentiableDynamics<T> dynamics, SolveOptions? options = null, int maxOutputTimes = 2)
    {
        options ??= new SolveOptions();
        if (options.Adjoint is not ContinuousAdjoint adjoint)
            throw new ArgumentException($"options.Adjoint is {options.Adjoint.GetType().Name}; this solver computes the continuous adjoint", nameof(options));
        _dynamics = dynamics;
        Options = options;
        try
        {
            _forward = new BatchedSolver<T>(dynamics, options, maxOutputTimes);
            _augmented = new AugmentedDynamics<T>(dynamics);
            _backward = new BatchedSolver<T>(_augmented, BackwardOptions(options, adjoint, _augmented.Layout), maxOutputTimes);
            _args = Arguments(maxOutputTimes);
        }
        catch
        {
            Dispose();
            throw;
        }
        _hook = new OutputHook(this);
    }

    /// <summary>The forward options; <see cref="SolveOptions.Adjoint"/> says how the backward solve runs.</summary>
    public SolveOptions Options { get; }

    /// <summary>The device the solves run on.</summary>
    public OdeDevice Device => _dynamics.Device;

    /// <summary>The forward solver: its <see cref="BatchedSolver{T}.Output"/> holds the states at the output times, [rows x times x dim].</summary>
    public BatchedSolver<T> Forward => _forward;

    /// <summary>The backward solver of the augmented rows [z, a, a_theta, a_t] (its statistics and statuses).</summary>
    public BatchedSolver<T> Backward => _backward;

    /// <summary>After <see cref="BackwardOnDevice"/>: dL/d(initial state), [rows x dim].</summary>
    public ArrayView<T> InitialStateGradient => _args.InitialStateGradient;

    /// <summary>After <see cref="BackwardOnDevice"/>: each row's dL/dtheta, [rows x parameters].</summary>
    public ArrayView<T> ParameterGradient => _args.ParameterGradient;

    /// <summary>After <see cref="BackwardOnDevice"/> with shared parameters: dL/dtheta summed over the rows, [parameters].</summary>
    public ArrayView<T> SharedParameterGradient => _args.SharedParameterGradient;

    /// <summary>After <see cref="BackwardOnDevice"/>: dL/d(output time), [rows x times]; column 0 is dL/dt0.</summary>
    public ArrayView<T> TimeGradient => _args.TimeGradient.SubView(0, (long)_dynamics.Rows * _args.Outputs);

    /// <summary>Solves forward on the device from <paramref name="y0"/>, saving the states at <paramref name="times"/> for the backward solve.</summary>
    /// <param name="y0">Initial states, [rows x dim], on the solver's device.</param>
    /// <param name="times">Output times, strictly monotonic: t0 first, t1 last.</param>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    public void ForwardOnDevice(ArrayView<T> y0, double[] times)
    {
        _forward.SolveOnDevice(y0, times);
        _times = (double[])times.Clone();
        _args.Outputs = times.Length;
    }

    /// <summary>
    /// Solves the adjoint backwards from the last output time to t0 and leaves the gradients in
    /// <see cref="InitialStateGradient"/>, <see cref="ParameterGradient"/>, <see cref="SharedParameterGradient"/> and
    /// <see cref="TimeGradient"/>.
    /// </summary>
    /// <param name="cotangents">dL/dz at the forward solve's output times, [rows x times x dim], on the solver's device.</param>
    /// <exception cref="ArgumentException">The cotangents do not match the forward solve's outputs.</exception>
    /// <exception cref="InvalidOperationException">No forward solve has run.</exception>
    public void BackwardOnDevice(ArrayView<T> cotangents)
    {
        if (_times.Length == 0)
            throw new InvalidOperationException("there is no forward solve to differentiate: call ForwardOnDevice first");
        var expected = (long)_dynamics.Rows * _times.Length * _dynamics.Dimension;
        if (cotangents.Length != expected)
            throw new ArgumentException(
                $"cotangents must hold [{_dynamics.Rows} x {_times.Length} x {_dynamics.Dimension}] = {expected} values (rows x times x dim), but holds {cotangents.Length}",
                nameof(cotangents));
        _args.Forward = _forward.Output;
        _args.Cotangent = cotangents;
        _args.Augmented = _backward.State;
        AtOutput(_times.Length - 1, AdjointOutputKernels.Begin);
        _backward.SolveOnDevice(_backward.State, [.. _times.Reverse()], hook: _hook);
        Device.Launch(AdjointOutputKernels.Finish, _dynamics.Rows, _args);
        if (_dynamics.SharedParameters)
            Device.Launch(AdjointOutputKernels.SumParameters, _dynamics.ParameterCount, _args);
    }

    /// <summary>The gradients of a loss whose dL/dz at <paramref name="times"/> are <paramref name="cotangents"/>, from host arrays.</summary>
    /// <param name="y0">Initial states, [rows, dim].</param>
    /// <param name="times">Output times, strictly monotonic: t0 first, t1 last.</param>
    /// <param name="cotangents">dL/dz at the output times, [rows, times, dim].</param>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    public SolveGradient<T> Gradient(T[,] y0, double[] times, T[,,] cotangents)
    {
        InputValidation.InitialValues(y0, _dynamics.Rows, _dynamics.Dimension);
        if (cotangents.GetLength(0) != _dynamics.Rows || cotangents.GetLength(1) != times.Length || cotangents.GetLength(2) != _dynamics.Dimension)
            throw new ArgumentException(
                $"cotangents must be [{_dynamics.Rows}, {times.Length}, {_dynamics.Dimension}] (rows, times, dim), but is [{cotangents.GetLength(0)}, {cotangents.GetLength(1)}, {cotangents.GetLength(2)}]",
                nameof(cotangents));
        _forward.State.CopyFromCPU(y0.Cast<T>().ToArray());
        ForwardOnDevice(_forward.State, times);
        using var cotangentBuffer = Device.Upload(cotangents.Cast<T>().ToArray());
        BackwardOnDevice(cotangentBuffer.View);
        return Download();
    }

    /// <summary>The last gradient and both solves' results, downloaded to the host.</summary>
    public SolveGradient<T> Download()
    {
        var forward = _forward.Download();
        var backward = _backward.Download();
        var status = forward.Status.Zip(backward.Status, (f, b) => f == TrajectoryStatus.Success ? b : f).ToArray();
        var rows = _dynamics.Rows;
        return new SolveGradient<T>(
            forward,
            Matrix(InitialStateGradient, rows, _dynamics.Dimension),
            Matrix(ParameterGradient, rows, _dynamics.ParameterCount),
            _dynamics.SharedParameters ? Device.Download(SharedParameterGradient) : null,
            Matrix(TimeGradient, rows, _times.Length),
            status,
            backward.Statistics);
    }

    /// <summary>Frees the device buffers of both solves.</summary>
    public void Dispose()
    {
        _forward?.Dispose();
        _backward?.Dispose();
        _augmented?.Dispose();
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    // The backward solve: the adjoint's method and controller, and with the seminorm an error norm over z and a alone.
    private static SolveOptions BackwardOptions(SolveOptions options, ContinuousAdjoint adjoint, AugmentedLayout layout) => options with
    {
        Method = adjoint.Method ?? options.Method,
        Controller = adjoint.Controller ?? options.Controller,
        ErrorComponents = adjoint.Seminorm ? [.. Enumerable.Range(0, layout.ParameterAdjoint)] : null,
        InitialStep = null,
    };

    private AdjointOutputArgs<T> Arguments(int maxOutputTimes)
    {
        var rows = _dynamics.Rows;
        var dim = _dynamics.Dimension;
        var parameters = Math.Max(1L, (long)rows * _dynamics.ParameterCount);
        return new AdjointOutputArgs<T>
        {
            Layout = _augmented.Layout,
            Rows = rows,
            Time = Keep(Device.Allocate<double>(rows)).View,
            Z = Keep(Device.Allocate<T>((long)rows * dim)).View,
            F = Keep(Device.Allocate<T>((long)rows * dim)).View,
            TimeGradient = Keep(Device.Allocate<T>((long)rows * maxOutputTimes)).View,
            InitialStateGradient = Keep(Device.Allocate<T>((long)rows * dim)).View,
            ParameterGradient = Keep(Device.Allocate<T>(parameters)).View,
            SharedParameterGradient = Keep(Device.Allocate<T>(Math.Max(1, _dynamics.ParameterCount))).View,
        };
    }

    // At forward output i: reset z and add dL/dz (Begin also clears the row), then dL/dt_i from f there. At t0 the
    // adjoint a_t is dL/dt0 itself (Finish), so no product is taken.
    private void AtOutput(int output, Action<Index1D, AdjointOutputArgs<T>> visit)
    {
        _args.Output = output;
        _args.OutputTime = _times[output];
        Device.Launch(visit, _dynamics.Rows, _args);
        if (output == 0)
            return;
        _dynamics.Evaluate(_args.Time, _args.Z, _args.F);
        Device.Launch(AdjointOutputKernels.TimeAdjoint, _dynamics.Rows, _args);
    }

    private MemoryBuffer1D<TElement, Stride1D.Dense> Keep<TElement>(MemoryBuffer1D<TElement, Stride1D.Dense> buffer) where TElement : unmanaged
    {
        _buffers.Add(buffer);
        return buffer;
    }

    private T[,] Matrix(ArrayView<T> view, int rows, int columns)
    {
        var matrix = new T[rows, columns];
        if (columns == 0)
            return matrix;
        var flat = Device.Download(view.SubView(0, (long)rows * columns));
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                matrix[r, c] = flat[(long)r * columns + c];
        return matrix;
    }

    // The backward solve visits the forward output times from the last to the first: its output j is forward output N - j.
    private sealed class OutputHook(AdjointSolver<T> solver) : IOutputHook<T>
    {
        public void AtOutput(int index, double time, ArrayView<T> state) =>
            solver.AtOutput(solver._times.Length - 1 - index, AdjointOutputKernels.Visit);
    }
}
