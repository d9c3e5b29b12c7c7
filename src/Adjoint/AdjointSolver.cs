using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Gradients;
using OdeGpu.Precision;

namespace OdeGpu.Adjoint;

/// <summary>
/// The vector-Jacobian product of a whole batched solve: a forward solve saves the states at the output times; then,
/// given dL/dz there (a device buffer), the backward pass of <see cref="SolveOptions.Adjoint"/> gives dL/d(initial
/// state), dL/dtheta and dL/d(output times). <see cref="ContinuousAdjoint"/> solves the adjoint ODE backwards in memory
/// that does not depend on the number of steps; <see cref="DiscreteAdjoint"/> replays the recorded steps, exact to
/// round-off. Bound to a device, a problem shape and a method, it allocates once and is reused, like
/// <see cref="BatchedSolver{T}"/>. Each row is its own ODE with its own steps and its own a_theta; with
/// <see cref="SolveOptions.SharedStep"/> the batch takes one step size, as torchdiffeq's single ODE does, and since
/// a_theta enters linearly, the row-order sum of the rows' a_theta is its single one.
/// </summary>
/// <typeparam name="T">The state scalar: float or double.</typeparam>
public sealed class AdjointSolver<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IDifferentiableDynamics<T> _dynamics;
    private readonly List<IDisposable> _buffers = [];
    private readonly IAdjointRun<T> _run;
    private readonly AdjointOutputArgs<T> _gradients;
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _cotangents;
    private double[] _times = [];
    private bool _differentiated;

    /// <summary>Validates the options and allocates every device buffer of the forward and backward passes.</summary>
    /// <param name="dynamics">The differentiable batch right-hand side; its device runs the solves.</param>
    /// <param name="options">Method, controller, limits, and the gradient method <see cref="SolveOptions.Adjoint"/>; null for the defaults.</param>
    /// <param name="maxOutputTimes">Most output times a solve may ask for (t0 and t1 included).</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public AdjointSolver(IDifferentiableDynamics<T> dynamics, SolveOptions? options = null, int maxOutputTimes = 2)
    {
        options ??= new SolveOptions();
        _dynamics = dynamics;
        Options = options;
        try
        {
            _run = options.Adjoint switch
            {
                ContinuousAdjoint continuous => new ContinuousAdjointRun<T>(dynamics, options, continuous, maxOutputTimes),
                DiscreteAdjoint when typeof(T) == typeof(float) =>
                    (IAdjointRun<T>)(object)new DiscreteAdjointRun<float, Float32>((IDifferentiableDynamics<float>)dynamics, options, maxOutputTimes),
                DiscreteAdjoint => (IAdjointRun<T>)(object)new DiscreteAdjointRun<double, Float64>((IDifferentiableDynamics<double>)dynamics, options, maxOutputTimes),
                _ => throw new ArgumentException($"options.Adjoint is {options.Adjoint.GetType().Name}, which this solver does not know", nameof(options)),
            };
            _gradients = Gradients(maxOutputTimes);
            _cotangents = Keep(Device.Allocate<T>((long)dynamics.Rows * maxOutputTimes * dynamics.Dimension));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The forward options; <see cref="SolveOptions.Adjoint"/> says how the gradients are computed.</summary>
    public SolveOptions Options { get; }

    /// <summary>The device the solves run on.</summary>
    public OdeDevice Device => _dynamics.Device;

    /// <summary>The forward solver of the last solve: its <see cref="BatchedSolver{T}.Output"/> holds the states at the output times, [rows x times x dim].</summary>
    public BatchedSolver<T> Forward => _run.Forward;

    /// <summary>After <see cref="BackwardOnDevice"/>: dL/d(initial state), [rows x dim].</summary>
    public ArrayView<T> InitialStateGradient => _gradients.InitialStateGradient;

    /// <summary>After <see cref="BackwardOnDevice"/>: each row's dL/dtheta, [rows x parameters]; unused with shared parameters (see <see cref="SharedParameterGradient"/>).</summary>
    public ArrayView<T> ParameterGradient => _gradients.ParameterGradient;

    /// <summary>After <see cref="BackwardOnDevice"/> with shared parameters: dL/dtheta of the whole batch, [parameters]; NaN when a row failed.</summary>
    public ArrayView<T> SharedParameterGradient => _gradients.SharedParameterGradient;

    /// <summary>After <see cref="BackwardOnDevice"/>: dL/d(output time), [rows x times]; column 0 is dL/dt0.</summary>
    public ArrayView<T> TimeGradient => _gradients.TimeGradient.SubView(0, (long)_dynamics.Rows * Math.Max(_times.Length, 1));

    /// <summary>Solves forward on the device from <paramref name="y0"/>, keeping what the backward pass needs.</summary>
    /// <param name="y0">Initial states, [rows x dim], on the solver's device.</param>
    /// <param name="times">Output times, strictly monotonic: t0 first, t1 last.</param>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    public void ForwardOnDevice(ArrayView<T> y0, double[] times)
    {
        _run.SolveForward(y0, times);
        _times = (double[])times.Clone();
        _differentiated = false;
    }

    /// <summary>
    /// Runs the backward pass of the last forward solve and leaves the gradients in <see cref="InitialStateGradient"/>,
    /// <see cref="ParameterGradient"/>, <see cref="SharedParameterGradient"/> and <see cref="TimeGradient"/>.
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
        _run.Backward(cotangents, _times, _gradients with { Outputs = _times.Length });
        if (_dynamics.SharedParameters && !_run.SumsRows)
            Device.Launch(AdjointOutputKernels.SumParameters, _dynamics.ParameterCount, _gradients);
        else if (_run.SumsRows && _dynamics.ParameterCount > 0 && AnyRowFailed())
            SharedParameterGradient.SubView(0, _dynamics.ParameterCount).CopyFromCPU([.. Enumerable.Repeat(T.NaN, _dynamics.ParameterCount)]);
        _differentiated = true;
    }

    /// <summary>Solves forward from host initial values, keeping what the backward pass needs, and returns the solution.</summary>
    /// <param name="y0">Initial states, [rows, dim].</param>
    /// <param name="times">Output times, strictly monotonic: t0 first, t1 last.</param>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    public Solution<T> Solve(T[,] y0, double[] times)
    {
        InputValidation.InitialValues(y0, _dynamics.Rows, _dynamics.Dimension);
        var state = _run.Forward.State;
        state.CopyFromCPU(y0.Cast<T>().ToArray());
        ForwardOnDevice(state, times);
        return _run.Forward.Download();
    }

    /// <summary>The gradients of the last forward solve for a loss whose dL/dz at its output times are <paramref name="cotangents"/>.</summary>
    /// <param name="cotangents">dL/dz at the output times, [rows, times, dim].</param>
    /// <exception cref="ArgumentException">The cotangents do not match the forward solve's outputs.</exception>
    /// <exception cref="InvalidOperationException">No forward solve has run.</exception>
    public SolveGradient<T> Backward(T[,,] cotangents)
    {
        ValidateCotangents(cotangents, _times.Length);
        var view = _cotangents.View.SubView(0, cotangents.Length);
        view.CopyFromCPU(cotangents.Cast<T>().ToArray());
        BackwardOnDevice(view);
        return Download();
    }

    /// <summary>Solves forward, then the gradients of a loss whose dL/dz at <paramref name="times"/> are <paramref name="cotangents"/>.</summary>
    /// <param name="y0">Initial states, [rows, dim].</param>
    /// <param name="times">Output times, strictly monotonic: t0 first, t1 last.</param>
    /// <param name="cotangents">dL/dz at the output times, [rows, times, dim].</param>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    public SolveGradient<T> Gradient(T[,] y0, double[] times, T[,,] cotangents)
    {
        ValidateCotangents(cotangents, times.Length);
        Solve(y0, times);
        return Backward(cotangents);
    }

    /// <summary>The last gradient and the forward solve's results, downloaded to the host.</summary>
    /// <exception cref="InvalidOperationException">No backward pass has run since the last forward solve.</exception>
    public SolveGradient<T> Download()
    {
        if (!_differentiated)
            throw new InvalidOperationException("there is no gradient to download: call BackwardOnDevice after ForwardOnDevice");
        var forward = _run.Forward.Download();
        var backward = Outcome(forward.Status);
        var rows = _dynamics.Rows;
        return new SolveGradient<T>(
            forward,
            Matrix(InitialStateGradient, rows, _dynamics.Dimension),
            _dynamics.SharedParameters ? new T[rows, 0] : Matrix(ParameterGradient, rows, _dynamics.ParameterCount),
            _dynamics.SharedParameters ? Device.Download(SharedParameterGradient.SubView(0, _dynamics.ParameterCount)) : null,
            Matrix(TimeGradient, rows, _times.Length),
            backward.Status,
            backward.Statistics);
    }

    /// <summary>
    /// The last gradient's statuses and backward statistics, as <see cref="Download"/> gives them (a row's status is
    /// its forward solve's when that failed, else its backward pass's), without the values and gradients.
    /// </summary>
    /// <exception cref="InvalidOperationException">No backward pass has run since the last forward solve.</exception>
    public SolveOutcome Outcome()
    {
        if (!_differentiated)
            throw new InvalidOperationException("there is no gradient to read: call BackwardOnDevice after ForwardOnDevice");
        return Outcome(_run.Forward.Outcome().Status);
    }

    /// <summary>Frees the device buffers of both passes.</summary>
    public void Dispose()
    {
        _run?.Dispose();
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    private SolveOutcome Outcome(TrajectoryStatus[] forward) =>
        new([.. forward.Zip(_run.Status(), (f, b) => f == TrajectoryStatus.Success ? b : f)], _run.Statistics());

    // Whether a row's forward or backward solve failed: a gradient of shared parameters needs every row.
    private bool AnyRowFailed() =>
        Device.Download(_run.Forward.Status).Any(s => s != (int)TrajectoryStatus.Success) || _run.Status().Any(s => s != TrajectoryStatus.Success);

    // The gradients, and the per-row scratch the output-time kernels of the continuous adjoint use.
    private AdjointOutputArgs<T> Gradients(int maxOutputTimes)
    {
        var rows = _dynamics.Rows;
        var dim = _dynamics.Dimension;
        return new AdjointOutputArgs<T>
        {
            Layout = new AugmentedLayout(dim, _dynamics.ParameterCount),
            Rows = rows,
            Time = Keep(Device.Allocate<double>(rows)).View,
            Z = Keep(Device.Allocate<T>((long)rows * dim)).View,
            F = Keep(Device.Allocate<T>((long)rows * dim)).View,
            TimeGradient = Keep(Device.Allocate<T>((long)rows * maxOutputTimes)).View,
            InitialStateGradient = Keep(Device.Allocate<T>((long)rows * dim)).View,
            ParameterGradient = Keep(Device.Allocate<T>(Math.Max(1L, (_run.SumsRows ? 1L : rows) * _dynamics.ParameterCount))).View,
            SharedParameterGradient = Keep(Device.Allocate<T>(Math.Max(1, _dynamics.ParameterCount))).View,
        };
    }

    private void ValidateCotangents(T[,,] cotangents, int times)
    {
        if (cotangents.GetLength(0) != _dynamics.Rows || cotangents.GetLength(1) != times || cotangents.GetLength(2) != _dynamics.Dimension)
            throw new ArgumentException(
                $"cotangents must be [{_dynamics.Rows}, {times}, {_dynamics.Dimension}] (rows, times, dim), but is [{cotangents.GetLength(0)}, {cotangents.GetLength(1)}, {cotangents.GetLength(2)}]",
                nameof(cotangents));
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
}
