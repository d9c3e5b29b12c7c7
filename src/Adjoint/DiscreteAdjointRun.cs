using System.Numerics;
using ILGPU;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Precision;
using OdeGpu.Tableaux;

namespace OdeGpu.Adjoint;

/// <summary>
/// The discrete adjoint: the forward solve records every accepted step; the backward pass replays them from the last,
/// recomputing each step's stages from its recorded start and applying their VJPs in reverse order. The record starts
/// small and grows fourfold, up to the step limit, when a solve needs more (that solve is then repeated), so memory
/// follows the steps actually taken. With <see cref="Gradients.DiscreteAdjoint.CheckpointEvery"/> = k the record keeps
/// every k-th state only: the backward pass works in windows of k iterations, each row's window recomputed first from
/// its nearest checkpoint (at most 2k - 2 steps) with the recorded step times. With
/// <see cref="Gradients.DiscreteAdjoint.KeepEvaluations"/>, dynamics that keep evaluations keep every stage of the
/// forward solve in a slot per step and stage (<see cref="StageSlots{T}"/>), with the stages' derivatives (which the
/// outputs' time gradients need), and the backward pass takes their VJPs without evaluating them again; only steps
/// whose outputs need extra interpolation stages (DOP853's) are evaluated again.
/// </summary>
internal sealed class DiscreteAdjointRun<T, TP> : IAdjointRun<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
{
    private const int FirstCapacity = 64;

    private readonly IDifferentiableDynamics<T> _dynamics;
    private readonly SolveOptions _options;
    private readonly int _maxOutputTimes;
    private readonly ButcherTableau _method;
    private readonly List<IDisposable> _buffers = [];
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _initial, _f;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _counter;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _times;
    private readonly int[] _status, _readback = new int[1];
    private readonly int _stepStages, _every, _keptStages;
    private readonly bool _keep;
    private readonly List<MemoryBuffer1D<T, Stride1D.Dense>> _keptDerivatives = [];
    private BatchedSolver<T> _forward;
    private DiscreteAdjointArgs<T> _args;
    private int _capacity, _iterations;

    /// <summary>Allocates the forward solver with a small step record and the buffers of the reverse sweep.</summary>
    public DiscreteAdjointRun(IDifferentiableDynamics<T> dynamics, SolveOptions options, int maxOutputTimes)
    {
        _dynamics = dynamics;
        _options = options;
        _maxOutputTimes = maxOutputTimes;
        _method = options.Method;
        _capacity = Math.Min(options.MaxSteps, FirstCapacity);
        _status = new int[dynamics.Rows];
        _stepStages = 1 + Array.FindLastIndex(_method.B, b => b != 0);
        _every = (options.Adjoint as Gradients.DiscreteAdjoint)?.CheckpointEvery ?? 1;
        var keep = (options.Adjoint as Gradients.DiscreteAdjoint)?.KeepEvaluations == true;
        if (keep && _every > 1)
            throw new ArgumentException("options.Adjoint keeps the stages' evaluations, which replays every recorded state: CheckpointEvery must be 1 or null", nameof(options));
        if (keep && options.Controller is not FixedStep && !options.SharedStep)
            throw new ArgumentException(
                "options.Adjoint keeps the stages' evaluations, whose slots are shared by the rows: the rows must take the same steps (SharedStep, or a FixedStep controller)",
                nameof(options));
        // dynamics that keep nothing are evaluated again backwards, as without the option
        _keep = keep && dynamics.KeepsEvaluations;
        // the kept slots hold a step's stages and, where it is the next step's first, its end derivative
        _keptStages = _method.EndDerivativeStage == _stepStages ? _stepStages + 1 : _stepStages;
        _forward = NewForward();
        try
        {
            var rows = dynamics.Rows;
            var states = (long)rows * dynamics.Dimension;
            var stages = _method.ExtendedStages;
            var parameters = Math.Max(1L, (dynamics.SharedParameters ? 1L : rows) * dynamics.ParameterCount);
            _initial = Allocate<T>(states);
            _f = Allocate<T>(states);
            _counter = Allocate<int>(1);
            _times = Allocate<double>(maxOutputTimes);
            _args = new DiscreteAdjointArgs<T>
            {
                Combination = Upload(Combination(_method)), Nodes = Upload(Nodes(_method)), Weights = Upload(Padded(_method.B, stages)),
                Dense = Upload([.. Enumerable.Range(0, stages).SelectMany(j => Padded(j < _method.Interpolant.Weights.Length ? _method.Interpolant.Weights[j] : [], _method.Interpolant.Degree))]),
                Degree = _method.Interpolant.Degree, ExtendedStages = stages,
                Active = Allocate<int>(rows).View, Needs = Allocate<int>(rows).View, StepStart = Allocate<double>(rows).View,
                StepSize = Allocate<double>(rows).View, Y = Allocate<T>(states).View, K = Allocate<T>(stages * states).View,
                KBar = Allocate<T>(stages * states).View, StageStates = Allocate<T>(stages * states).View,
                StageTimes = Allocate<double>((long)stages * rows).View, YBar = Allocate<T>(states).View,
                StageAdjoint = Allocate<T>(states).View, StageParameters = Allocate<T>(parameters).View,
                StageTime = Allocate<T>(rows).View, TimeShift = Allocate<T>(rows).View, Evaluations = Allocate<int>(rows).View,
                NextOutput = Allocate<int>(rows).View, Dimension = dynamics.Dimension, Parameters = dynamics.ParameterCount, Rows = rows,
                SumRows = dynamics.SharedParameters ? 1 : 0,
                CheckpointEvery = _every, SegmentSlots = 2 * _every - 1, Segment = Allocate<T>(_every == 1 ? 1 : (2L * _every - 1) * states).View,
                SegmentStart = Allocate<int>(rows).View,
            };
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public BatchedSolver<T> Forward => _forward;

    /// <inheritdoc />
    public void SolveForward(ArrayView<T> y0, double[] times)
    {
        // y0 may be the forward solver's own state, which a larger record replaces
        y0.CopyTo(_initial.View.AsContiguous());
        _forward.SolveOnDevice(_initial.View, times);
        while (_capacity < _options.MaxSteps && RecordFilled())
        {
            _forward.Dispose();
            _capacity = (int)Math.Min(_options.MaxSteps, 4L * _capacity);
            _forward = NewForward();
            _forward.SolveOnDevice(_initial.View, times);
        }
    }

    /// <inheritdoc />
    public void Backward(ArrayView<T> cotangents, double[] times, in AdjointOutputArgs<T> gradients)
    {
        var device = _dynamics.Device;
        var rows = _dynamics.Rows;
        _times.View.SubView(0, times.Length).CopyFromCPU(times);
        _args = _args with
        {
            Steps = _forward.StepStates, StepTimes = _forward.StepTimes, StepCounts = _forward.AcceptedSteps, ForwardStatus = _forward.Status,
            StepSlots = _forward.StepSlots, StateSlots = _forward.StateSlots, Times = _times.View, Outputs = times.Length, Direction = Math.Sign(times[^1] - times[0]),
            Cotangent = cotangents, TimeGradient = gradients.TimeGradient, InitialStateGradient = gradients.InitialStateGradient,
            ParameterGradient = _args.SumRows != 0 ? gradients.SharedParameterGradient : gradients.ParameterGradient,
        };
        if (_args.SumRows != 0)
            _args.ParameterGradient.MemSetToZero();
        device.LaunchRows(DiscreteAdjointKernels.Begin, rows, _dynamics.Dimension, _args);
        _iterations = Max(_forward.AcceptedSteps);
        for (var k = 0; k < _iterations; k++)
        {
            _options.Cancellation.ThrowIfCancellationRequested();
            _args.Iteration = k;
            if (_every > 1 && k % _every == 0)
                RecomputeWindow();
            device.LaunchRows(DiscreteAdjointKernels.Prepare, rows, _dynamics.Dimension, _args);
            var stages = Max(_args.Needs) > 0 ? _method.ExtendedStages : _stepStages;
            if (_keep && stages <= _keptStages)
                ReverseStep(stages, kept: (_iterations - 1 - k) * _stepStages);
            else
                ReverseStep(stages, kept: -1, scratch: _keep ? _iterations * _stepStages + 1 : 0);
        }
        device.LaunchRows(DiscreteAdjointKernels.Finish<T, TP>, rows, _dynamics.Dimension, _args);
    }

    /// <inheritdoc />
    public bool SumsRows => _args.SumRows != 0;

    /// <inheritdoc />
    public SolveStatistics Statistics()
    {
        var device = _dynamics.Device;
        return new SolveStatistics(device.Download(_args.Evaluations), device.Download(_forward.AcceptedSteps), new int[_dynamics.Rows], _iterations);
    }

    /// <inheritdoc />
    public TrajectoryStatus[] Status() => [.. Enumerable.Repeat(TrajectoryStatus.Success, _dynamics.Rows)];

    /// <inheritdoc />
    public void Dispose()
    {
        _forward.Dispose();
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    // The states of each row's window of the next k iterations, stepped from its checkpoint with the recorded times.
    private void RecomputeWindow()
    {
        var device = _dynamics.Device;
        var states = (long)_dynamics.Rows * _dynamics.Dimension;
        device.LaunchRows(DiscreteAdjointKernels.Checkpoint, _dynamics.Rows, _dynamics.Dimension, _args);
        var steps = Max(_args.Needs);
        for (var m = 0; m < steps; m++)
        {
            _args.Recompute = m;
            device.LaunchRows(DiscreteAdjointKernels.PrepareRecompute, _dynamics.Rows, _dynamics.Dimension, _args);
            for (var j = 0; j < _stepStages; j++)
            {
                device.LaunchElements(DiscreteAdjointKernels.StageState<T, TP>, states, _args with { Stage = j });
                _dynamics.Evaluate(StageTimes(j), Stage(_args.StageStates, j), Stage(_args.K, j));
            }
            device.LaunchElements(DiscreteAdjointKernels.FinishRecompute<T, TP>, states, _args with { Stage = _stepStages });
        }
    }

    // Recomputes the step's first `stages` extended stages forwards, each kept in slot `scratch` + j by dynamics that
    // can, then applies their VJPs backwards. With `kept` (not -1) the forward solve kept the step's stages from slot
    // `kept` on: their derivatives are copied back, and their states and times made again from them.
    private void ReverseStep(int stages, int kept, int scratch = 0)
    {
        var device = _dynamics.Device;
        var states = (long)_dynamics.Rows * _dynamics.Dimension;
        for (var j = 0; j < stages; j++)
        {
            if (kept >= 0)
                _keptDerivatives[kept + j].View.AsContiguous().CopyTo(Stage(_args.K, j));
            device.LaunchElements(DiscreteAdjointKernels.StageState<T, TP>, states, _args with { Stage = j, Kept = kept < 0 ? 0 : 1 });
            if (kept < 0)
                _dynamics.Evaluate(StageTimes(j), Stage(_args.StageStates, j), Stage(_args.K, j), slot: scratch + j);
        }
        device.LaunchRows(DiscreteAdjointKernels.Seed<T, TP>, _dynamics.Rows, _dynamics.Dimension, _args);
        for (var j = stages - 1; j >= 0; j--)
        {
            _dynamics.Vjp((kept < 0 ? scratch : kept) + j, StageTimes(j), Stage(_args.StageStates, j), Stage(_args.KBar, j), _f.View, _args.StageAdjoint, _args.StageParameters, _args.StageTime, SumsRows);
            device.LaunchElements(DiscreteAdjointKernels.Accumulate<T, TP>, states, _args with { Stage = j });
            if (_dynamics.ParameterCount > 0)
                device.LaunchElements(DiscreteAdjointKernels.AccumulateParameters, (SumsRows ? 1L : _dynamics.Rows) * _dynamics.ParameterCount, _args);
        }
    }

    // Whether a row stopped at the record's capacity rather than at the user's step limit.
    private bool RecordFilled()
    {
        _dynamics.Device.Read(_forward.Status, _status);
        return _status.Any(s => s == (int)TrajectoryStatus.MaxStepsReached);
    }

    private BatchedSolver<T> NewForward() =>
        new(_dynamics, _options with { MaxSteps = _capacity }, _maxOutputTimes, fromEntryPoint: false, recordEvery: _every,
            keep: _keep ? new StageSlots<T>(_stepStages, Keep) : null);

    // Evaluates into a kept slot, and keeps the evaluation's derivatives beside it.
    private void Keep(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy, int slot)
    {
        _dynamics.Evaluate(time, y, dy, slot);
        while (_keptDerivatives.Count <= slot)
            _keptDerivatives.Add(Allocate<T>((long)_dynamics.Rows * _dynamics.Dimension));
        dy.CopyTo(_keptDerivatives[slot].View.AsContiguous());
    }

    private int Max(ArrayView<int> values)
    {
        _dynamics.Device.Reduce<int, MaxInt32>(values, _counter.View);
        _dynamics.Device.Read(_counter.View, _readback);
        return _readback[0];
    }

    private ArrayView<T> Stage(ArrayView<T> stages, int j) =>
        stages.SubView((long)j * _dynamics.Rows * _dynamics.Dimension, (long)_dynamics.Rows * _dynamics.Dimension);

    private ArrayView<double> StageTimes(int j) => _args.StageTimes.SubView((long)j * _dynamics.Rows, _dynamics.Rows);

    // Y_j = y_n + h sum_l M[j, l] K_l over the extended stages: the tableau's rows, then b for f at the step's end when
    // the method is not FSAL (its last stage already is), then the extra interpolation stages.
    private static double[] Combination(ButcherTableau m)
    {
        var e = m.ExtendedStages;
        var rows = m.A.Concat(m.Fsal ? [] : [m.B]).Concat(m.ExtraA).ToArray();
        var combination = new double[e * e];
        for (var j = 0; j < e; j++)
            for (var l = 0; l < rows[j].Length; l++)
                combination[j * e + l] = rows[j][l];
        return combination;
    }

    private static double[] Nodes(ButcherTableau m) => [.. m.C, .. m.Fsal ? Array.Empty<double>() : [1.0], .. m.ExtraC];

    private static double[] Padded(double[] values, int length) => [.. values, .. new double[length - values.Length]];

    private MemoryBuffer1D<TElement, Stride1D.Dense> Allocate<TElement>(long length) where TElement : unmanaged
    {
        var buffer = _dynamics.Device.Allocate<TElement>(length);
        _buffers.Add(buffer);
        return buffer;
    }

    private ArrayView<double> Upload(double[] values)
    {
        var buffer = _dynamics.Device.Upload(values);
        _buffers.Add(buffer);
        return buffer.View;
    }
}
