using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Batched;

/// <summary>
/// A batched solver bound to a device, a problem shape (the dynamics' rows and dimension) and a method, for solves
/// repeated thousands of times (a training loop, the interval-by-interval backward solve of an adjoint): it allocates
/// its device buffers once, takes its initial states from and leaves its results in device buffers, resumes where its
/// last solve ended with the step size and controller memory it had, and runs a hook at each output time.
/// </summary>
/// <typeparam name="T">The state scalar: float or double.</typeparam>
public sealed class BatchedSolver<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IBatchedRun<T> _run;

    /// <summary>Validates the options and allocates every device buffer the solves will use.</summary>
    /// <param name="dynamics">The batch right-hand side; its device runs the solves.</param>
    /// <param name="options">Method, controller, limits; null for the defaults.</param>
    /// <param name="maxOutputTimes">Most output times a solve may ask for (t0 and t1 included).</param>
    /// <exception cref="ArgumentException">An option is out of range or <paramref name="maxOutputTimes"/> is below 2.</exception>
    public BatchedSolver(IBatchedDynamics<T> dynamics, SolveOptions? options = null, int maxOutputTimes = 2)
        : this(dynamics, options ?? new SolveOptions(), maxOutputTimes, fromEntryPoint: false)
    {
    }

    // Ode.Solve's options may say what to save; the public constructor's may not (its solves save at their times). The
    // discrete adjoint has every accepted step recorded as well, and may keep the stages' evaluations (`keep`).
    internal BatchedSolver(IBatchedDynamics<T> dynamics, SolveOptions options, int maxOutputTimes, bool fromEntryPoint, int recordEvery = 0,
        StageSlots<T>? keep = null)
    {
        Options = options;
        InputValidation.Options(Options, dynamics.Dimension);
        if (!fromEntryPoint)
            InputValidation.TimesGiven(Options);
        if (maxOutputTimes < 2)
            throw new ArgumentException($"maxOutputTimes must be at least 2 (t0 and t1), but was {maxOutputTimes}", nameof(maxOutputTimes));
        Dynamics = dynamics;
        _run = typeof(T) == typeof(float)
            ? (IBatchedRun<T>)(object)new BatchedRun<float, Float32>((IBatchedDynamics<float>)dynamics, Options, maxOutputTimes, recordEvery, (StageSlots<float>?)(object?)keep)
            : typeof(T) == typeof(double)
                ? (IBatchedRun<T>)(object)new BatchedRun<double, Float64>((IBatchedDynamics<double>)dynamics, Options, maxOutputTimes, recordEvery, (StageSlots<double>?)(object?)keep)
                : throw new NotSupportedException($"state type {typeof(T).Name} is not supported: use float or double");
    }

    /// <summary>The dynamics the solver integrates.</summary>
    public IBatchedDynamics<T> Dynamics { get; }

    /// <summary>The options every solve uses.</summary>
    public SolveOptions Options { get; }

    /// <summary>The device the solves run on.</summary>
    public OdeDevice Device => Dynamics.Device;

    /// <summary>Most output times a solve may ask for.</summary>
    public int MaxOutputTimes => _run.MaxOutputTimes;

    /// <summary>The states, [rows x dim]: after a solve, each row's state at its last time (t1 unless it failed).</summary>
    public ArrayView<T> State => _run.State;

    /// <summary>The last solve's values at its output times, [rows x times x dim]; NaN where a row never got.</summary>
    public ArrayView<T> Output => _run.Output;

    /// <summary>Each row's <see cref="TrajectoryStatus"/> after the last solve.</summary>
    public ArrayView<int> Status => _run.Rows.Status;

    /// <summary>Each row's proposed next step (signed); a resumed solve starts with it. Write it to choose that step.</summary>
    public ArrayView<double> NextStep => _run.Rows.Step;

    /// <summary>Each row's last accepted error norm, the PI controller's memory; a resumed solve starts with it.</summary>
    public ArrayView<double> ControllerMemory => _run.Rows.PrevError;

    // When recording steps: each row's accepted steps, the state at t0 and at its checkpoints, [rows x StateSlots x dim],
    // and their times.
    internal ArrayView<int> AcceptedSteps => _run.Rows.AcceptedSteps;

    internal ArrayView<T> StepStates => _run.StepStates;

    internal ArrayView<double> StepTimes => _run.StepTimes;

    internal int StepSlots => _run.StepSlots;

    // When recording steps: state slots per row of StepStates.
    internal int StateSlots => _run.StateSlots;

    /// <summary>Solves from host initial values and returns the solution on the host.</summary>
    /// <param name="y0">Initial values, [rows x dim].</param>
    /// <param name="times">Output times, strictly monotonic: t0 first, t1 last.</param>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public Solution<T> Solve(T[,] y0, double[] times)
    {
        InputValidation.InitialValues(y0, Dynamics.Rows, Dynamics.Dimension);
        ValidateTimes(times);
        State.CopyFromCPU(y0.Cast<T>().ToArray());
        _run.Solve(State, times, resume: false, hook: null);
        return _run.Download();
    }

    /// <summary>
    /// Solves on the device: from the states in <paramref name="y0"/> (a view on this device, possibly <see cref="State"/>
    /// itself, as another kernel left it), leaving the outputs in <see cref="Output"/> and the final states in
    /// <see cref="State"/>. Nothing is read back but one small counter array per step.
    /// </summary>
    /// <param name="y0">Initial states, [rows x dim], on the solver's device.</param>
    /// <param name="times">Output times, strictly monotonic: t0 first, t1 last.</param>
    /// <param name="resume">
    /// Continue from the last solve: rows that failed stay failed, and each row starts with its <see cref="NextStep"/>
    /// and <see cref="ControllerMemory"/> instead of an estimated first step; statistics and the step limit count this
    /// solve alone.
    /// </param>
    /// <param name="hook">Runs at each output time after the first, and may change the states there; null for none.</param>
    /// <exception cref="ArgumentException">An input is malformed; nothing has been launched.</exception>
    /// <exception cref="InvalidOperationException">Resuming before any solve.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public void SolveOnDevice(ArrayView<T> y0, double[] times, bool resume = false, IOutputHook<T>? hook = null)
    {
        if (y0.Length != State.Length)
            throw new ArgumentException($"y0 must hold [{Dynamics.Rows} x {Dynamics.Dimension}] = {State.Length} values, but holds {y0.Length}", nameof(y0));
        ValidateTimes(times);
        _run.Solve(y0, times, resume, hook);
    }

    /// <summary>The last solve's values, statuses and statistics, downloaded to the host.</summary>
    public Solution<T> Download() => _run.Download();

    /// <summary>
    /// The last solve's statuses and statistics, without its values: what a caller that keeps the solution on the
    /// device reads to decide (a few integers per row, where <see cref="Download"/> copies every output).
    /// </summary>
    public SolveOutcome Outcome() => _run.Outcome();

    /// <summary>Frees the device buffers.</summary>
    public void Dispose() => _run.Dispose();

    private void ValidateTimes(double[] times)
    {
        InputValidation.Times(times);
        if (times.Length > MaxOutputTimes)
            throw new ArgumentException(
                $"times holds {times.Length} values, but this solver was made for at most {MaxOutputTimes} (maxOutputTimes)", nameof(times));
    }
}
