using System.Diagnostics;
using System.Numerics;
using ILGPU;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Precision;
using OdeGpu.Tableaux;

namespace OdeGpu.Batched;

/// <summary>
/// The engine of a reusable batched solver: allocates every buffer once for a problem shape and method, then solves
/// as often as asked from states already on the device, over any span, fresh or resumed, with a hook at output times.
/// </summary>
internal sealed class BatchedRun<T, TP> : IBatchedRun<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
{
    // Slots of the counters read back after each controller launch: rows running, rows that accepted, and the largest
    // RowState.NeedsOutput (0 none, 1 an output at a step's end, 2 one inside a step).
    private const int Running = 0, AcceptedRows = 1, MostOutput = 2, CounterCount = 3;

    private readonly IBatchedDynamics<T> _dynamics;
    private readonly OdeDevice _device;
    private readonly ButcherTableau _method;
    private readonly SolveOptions _options;
    private readonly int _rows, _dim;
    private readonly long _length;
    private readonly List<IDisposable> _buffers = [];
    private readonly StageSlots<T>? _keep;

    private readonly MemoryBuffer1D<T, Stride1D.Dense> _k, _output;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _outputTimes;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _counters;
    private readonly MemoryBuffer1D<long, Stride1D.Dense> _progressSum;
    private readonly RowState _state;
    private readonly TableauBuffers _coefficients;
    private readonly CombineArgs<T> _combine;
    private readonly ProposeArgs<T> _propose;
    private readonly NormArgs<T> _norm;
    private readonly CommitArgs<T> _commit;
    private readonly int[] _readback = new int[CounterCount];
    private readonly long[] _progress = new long[1];
    private readonly bool _saveSteps, _recordSteps;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _stepTimes;
    private InitialStepArgs<T> _initial;
    private ControlArgs _control;
    private DenseArgs<T> _dense;
    private StartArgs<T> _start;
    private double[] _times = [];
    private int _steps;
    private bool _solved;
    private Stopwatch _clock = new();
    private TimeSpan _compute;
    private int _kept;

    /// <summary>Allocates every buffer of the solver; nothing is launched yet.</summary>
    /// <param name="dynamics">The right-hand side.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="maxOutputTimes">Most output times a solve may ask for.</param>
    /// <param name="recordEvery">
    /// 0, or record every accepted step's time and every <paramref name="recordEvery"/>-th step's state, as the discrete
    /// adjoint replays them (1: every state).
    /// </param>
    /// <param name="keep">Null, or where the stages' evaluations are kept (rows that all take the same steps).</param>
    public BatchedRun(IBatchedDynamics<T> dynamics, SolveOptions options, int maxOutputTimes, int recordEvery, StageSlots<T>? keep)
    {
        _dynamics = dynamics;
        _keep = keep;
        _device = dynamics.Device;
        _method = options.Method;
        _options = options;
        _rows = dynamics.Rows;
        _dim = dynamics.Dimension;
        _length = BatchIndex.Elements(_rows, _dim);
        MaxOutputTimes = maxOutputTimes;
        _saveSteps = options.SaveAt.Kind == SaveKind.Steps;
        _recordSteps = _saveSteps || recordEvery > 0;
        var stepSlots = options.MaxSteps + 1;
        var every = _saveSteps ? 1 : Math.Max(1, recordEvery);
        var stateSlots = (stepSlots - 1) / every + 1;
        var slots = _saveSteps ? stepSlots : maxOutputTimes;
        var settings = ControlSettingsOf.From(options, _dim);
        try
        {
            var m = _method;
            var y = Allocate<T>(_length).View;
            var yNew = Allocate<T>(_length).View;
            var probe = Allocate<T>(_length).View;
            var stageTime = Allocate<double>(_rows).View;
            var errorSquares = Allocate<T>(_length).View;
            var errorSquares3 = Allocate<T>(m.BError3 is null ? 1 : _length).View;
            _outputTimes = Allocate<double>(maxOutputTimes);
            var atol = Upload(ControlSettingsOf.Atol(options, _dim)).View;
            _k = Allocate<T>((long)m.ExtendedStages * _length);
            _output = Allocate<T>(_length * slots);
            _stepTimes = Allocate<double>(_recordSteps ? (long)_rows * stepSlots : 1);
            var steps = _saveSteps ? _output.View : Allocate<T>(_recordSteps ? _length * stateSlots : 1).View;
            _counters = Allocate<int>(CounterCount);
            _progressSum = Allocate<long>(1);
            _state = AllocateRowState();
            _coefficients = new TableauBuffers(this, m);
            _start = new StartArgs<T>
            {
                State = _state, Settings = settings, Y = y, Output = _output.View, Dimension = _dim,
                OutputCount = slots, SaveSteps = _saveSteps ? 1 : 0, RecordSteps = _recordSteps ? 1 : 0, Steps = steps,
                StepTimes = _stepTimes.View, StepSlots = stepSlots, CheckpointEvery = every, StateSlots = stateSlots,
            };
            _initial = new InitialStepArgs<T>
            {
                State = _state, Settings = settings, Y = y, F0 = Stage(0), F1 = Stage(1), Probe = probe,
                ProbeTime = stageTime, Atol = atol, Dimension = _dim,
                Given = _options.InitialStep ?? (_options.Controller as FixedStep)?.Dt ?? 0,
            };
            _combine = new CombineArgs<T>
            {
                Y = y, K = _k.View, Output = probe, Dimension = _dim, Length = _length, BaseTime = _state.Time, Step = _state.Step,
                StageTime = stageTime, Mask = _state.Active, MaskValue = 1, Evaluations = _state.Evaluations,
            };
            _propose = new ProposeArgs<T>
            {
                Y = y, K = _k.View, YNew = yNew, Weights = _coefficients.B, ErrorWeights = _coefficients.Error,
                ErrorWeights3 = _coefficients.Error3, StageCount = m.Stages, Atol = atol, Rtol = settings.RelativeTolerance,
                ErrorSquares = errorSquares, ErrorSquares3 = errorSquares3, Step = _state.Step, Active = _state.Active,
                Dimension = _dim, Length = _length,
            };
            _norm = new NormArgs<T>
            {
                ErrorSquares = errorSquares, ErrorSquares3 = errorSquares3, RowSums = Allocate<double>(_rows).View,
                RowSums3 = Allocate<double>(_rows).View, ErrorNorm = _state.ErrorNorm, Active = _state.Active, Dimension = _dim,
                Rows = _rows, TwoEstimates = m.BError3 is null ? 0 : 1, NormComponents = settings.NormComponents,
            };
            _control = new ControlArgs { State = _state, Settings = settings, Times = _outputTimes.View, Progress = Upload(new long[_rows]).View };
            _dense = new DenseArgs<T>
            {
                State = _state, Y = y, YNew = yNew, K = _k.View, Output = _output.View, Times = _outputTimes.View,
                Coefficients = _coefficients.Dense, Stages = _coefficients.DenseStages, StageCount = _coefficients.DenseStageCount,
                Degree = m.Interpolant.Degree, Dimension = _dim, Length = _length,
            };
            _commit = new CommitArgs<T>
            {
                Y = y, YNew = yNew, K = _k.View, FirstStageSource = m.EndDerivativeStage, ChargeEvaluation = m.Fsal ? 0 : 1,
                Accepted = _state.Accepted, Evaluations = _state.Evaluations, Dimension = _dim, Length = _length,
            };
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public int MaxOutputTimes { get; }

    /// <inheritdoc />
    public ArrayView<T> State => _initial.Y;

    /// <inheritdoc />
    public ArrayView<T> Output => _output.View.SubView(0, _length * (_saveSteps ? _start.OutputCount : Math.Max(_times.Length, 1)));

    /// <inheritdoc />
    public RowState Rows => _state;

    /// <inheritdoc />
    public ArrayView<T> StepStates => _start.Steps;

    /// <inheritdoc />
    public ArrayView<double> StepTimes => _stepTimes.View;

    /// <inheritdoc />
    public int StepSlots => _start.StepSlots;

    /// <inheritdoc />
    public int StateSlots => _start.StateSlots;

    /// <inheritdoc />
    public void Solve(ArrayView<T> y0, double[] times, bool resume, IOutputHook<T>? hook)
    {
        if (resume && !_solved)
            throw new InvalidOperationException("there is no earlier solve to resume: solve once without resuming first");
        _clock = Stopwatch.StartNew();
        if (!y0.Equals(State)) // the same buffer, offset and length: the states are already in place
            y0.CopyTo(State);
        _times = (double[])times.Clone();
        _outputTimes.View.SubView(0, times.Length).CopyFromCPU(times);
        if (!_saveSteps)
            _start.OutputCount = times.Length;
        _steps = 0;
        if (!resume)
            _kept = 0;
        if (hook is null)
        {
            Integrate(times[0], times[^1], _saveSteps ? 1 : times.Length, resume, newSolve: true);
        }
        else
        {
            for (var j = 1; j < times.Length; j++)
            {
                Integrate(times[j - 1], times[j], 1, resume || j > 1, newSolve: j == 1, GridOffset(times, j));
                _device.LaunchRows(StartKernels.Store, _rows, _dim, _start with { Slot = j });
                hook.AtOutput(j, times[j], State);
            }
        }
        _compute = _clock.Elapsed;
        _solved = true;
    }

    /// <inheritdoc />
    public Solution<T> Download()
    {
        var values = _device.Download<T>(Output);
        var (status, statistics) = Outcome();
        if (!_saveSteps)
            return new Solution<T>(_rows, _dim, _times, values, status, statistics, _method, _device.Description, _clock.Elapsed, _compute);
        var slots = _start.OutputCount;
        var flat = _device.Download<double>(_stepTimes.View);
        var own = new double[_rows, slots];
        Buffer.BlockCopy(flat, 0, own, 0, flat.Length * sizeof(double));
        return new Solution<T>(_rows, _dim, flat[..slots], values, status, statistics, _method, _device.Description, _clock.Elapsed,
            _compute, trajectoryTimes: own);
    }

    /// <inheritdoc />
    public SolveOutcome Outcome() => new([.. _device.Download(_state.Status).Select(s => (TrajectoryStatus)s)],
        new SolveStatistics(_device.Download(_state.Evaluations), _device.Download(_state.AcceptedSteps), _device.Download(_state.RejectedSteps), _steps));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    // One span [t0, t1]: the start (fresh, or resumed from the last span), then attempts until no row runs. With
    // outputCount = 1 the span's end is the only output and the caller stores it.
    private void Integrate(double t0, double t1, int outputCount, bool resume, bool newSolve, int gridOffset = 0)
    {
        var settings = _control.Settings with { T0 = t0, T1 = t1, Direction = Math.Sign(t1 - t0), OutputCount = outputCount, GridOffset = gridOffset };
        _start.Settings = _initial.Settings = _control.Settings = settings;
        _dense.OutputCount = outputCount;
        _dense.Direction = settings.Direction;
        if (resume)
            _device.LaunchRows(StartKernels.Resume, _rows, _dim, _start with { NewSolve = newSolve ? 1 : 0 });
        else
            _device.LaunchRows(StartKernels.Reset<T, TP>, _rows, _dim, _start);
        Start(resume);
        do
        {
            _options.Cancellation.ThrowIfCancellationRequested();
            Step();
            _steps++;
            Report(_steps);
        }
        while (_readback[Running] > 0);
    }

    // Fixed steps taken in the intervals before interval j of a solve integrated interval by interval (0 when adaptive).
    private int GridOffset(double[] times, int j)
    {
        var dt = _control.Settings.FixedStep;
        return _control.Settings.Adaptive != 0 ? 0 : Enumerable.Range(1, j - 1).Sum(k => (int)FixedGrid.Steps(times[k - 1], times[k], dt));
    }

    // f(t0, y0), then the first step: kept from the last span when resuming, given, or estimated with one more evaluation.
    private void Start(bool resume)
    {
        Evaluate(_state.Time, _initial.Y, 0, KeptSlot(0));
        if (resume)
            return;
        if (_control.Settings.Adaptive == 0 || _options.InitialStep is not null)
        {
            _device.LaunchRows(InitialStepKernels.UseGiven<T>, _rows, _dim, _initial);
            return;
        }
        _device.LaunchRows(InitialStepKernels.Probe<T, TP>, _rows, _dim, _initial);
        _dynamics.Evaluate(_initial.ProbeTime, _initial.Probe, Stage(1));
        _device.LaunchRows(InitialStepKernels.Estimate<T, TP>, _rows, _dim, _initial);
        if (_options.SharedStep)
            _device.Launch(InitialStepKernels.Share<T>, 1, _initial);
    }

    // One attempt of every running row: stages, error norm, decision (read back), then the accepted rows' outputs.
    private void Step()
    {
        var m = _method;
        for (var s = 1; s < m.Stages; s++)
        {
            _device.LaunchElements(StageKernels.Combine<T, TP>, _length, _combine with { Coefficients = _coefficients.Row(s), Count = s, Node = m.C[s] });
            Evaluate(_combine.StageTime, _combine.Output, s, KeptSlot(s));
        }
        // The norm also flags non-finite states, so fixed-step solves compute it too (their error weights are zero).
        _device.LaunchElements(ErrorKernels.Propose<T, TP>, _length, _propose);
        _device.LaunchRows(ErrorKernels.RowNorm<T, TP>, _rows, _dim, _norm);
        if (_options.SharedStep && _control.Settings.Adaptive != 0)
            _device.Launch(ErrorKernels.SharedNorm, 1, _norm);
        _device.Launch(ControlKernels.Control, _rows, _control);
        ReadCounters();
        if (_readback[AcceptedRows] > 0)
        {
            Advance();
            _kept++;
            if (_recordSteps)
                _device.LaunchRows(StartKernels.StoreStep, _rows, _dim, _start);
        }
    }

    // f into Stage(stage), and kept in `slot` when that is not -1.
    private void Evaluate(ArrayView<double> time, ArrayView<T> y, int stage, int slot)
    {
        if (slot < 0)
            _dynamics.Evaluate(time, y, Stage(stage));
        else
            _keep!.Evaluate(time, y, Stage(stage), slot);
    }

    // The slot of the current attempt's stage when kept (StageSlots), else -1: the stages the step's result combines,
    // and the last one of an FSAL method, which is the next step's first.
    private int KeptSlot(int stage) =>
        _keep is null ? -1
        : stage < _keep.StepStages ? _kept * _keep.StepStages + stage
        : _method.Fsal && stage == _method.Stages - 1 ? (_kept + 1) * _keep.StepStages
        : -1;

    // Reductions over the per-row flags the controller wrote, in place of same-address atomics that serialize on GPUs.
    private void ReadCounters()
    {
        var counters = _counters.View;
        _device.Reduce<int, AddInt32>(_state.Active, counters.SubView(Running, 1));
        _device.Reduce<int, AddInt32>(_state.Accepted, counters.SubView(AcceptedRows, 1));
        _device.Reduce<int, MaxInt32>(_state.NeedsOutput, counters.SubView(MostOutput, 1));
        _device.Read(counters, _readback);
        if (_options.Progress is null)
            return;
        _device.Reduce<long, AddInt64>(_control.Progress, _progressSum.View);
        _device.Read(_progressSum.View, _progress);
    }

    // f(t1, y1), the outputs inside or at the end of the accepted steps, and y = y1.
    private void Advance()
    {
        var m = _method;
        if (!m.Fsal)
            Evaluate(_state.Time, _propose.YNew, m.EndDerivativeStage, _keep is null ? -1 : (_kept + 1) * _keep.StepStages);
        if (_readback[MostOutput] == ControlKernels.OutputInside)
        {
            for (var e = 0; e < m.ExtraC.Length; e++)
            {
                var stage = m.EndDerivativeStage + 1 + e;
                _device.LaunchElements(StageKernels.Combine<T, TP>, _length, _combine with
                {
                    Coefficients = _coefficients.ExtraRow(e), Count = stage, Node = m.ExtraC[e],
                    BaseTime = _state.PrevTime, Step = _state.UsedStep, Mask = _state.NeedsOutput, MaskValue = 2,
                });
                _dynamics.Evaluate(_combine.StageTime, _combine.Output, Stage(stage));
            }
        }
        if (_readback[MostOutput] > 0)
            _device.LaunchRows(DenseKernels.Interpolate<T, TP>, _rows, _dim, _dense);
        _device.LaunchElements(CommitKernels.Commit, _length, _commit);
    }

    private void Report(int steps)
    {
        if (_options.Progress is null)
            return;
        var running = _readback[Running];
        var fraction = ((_rows - running) * 1000.0 + _progress[0]) / (1000.0 * _rows);
        _options.Progress.Report(new SolveProgress(Math.Clamp(fraction, 0, 1), steps, running, _clock.Elapsed));
    }

    private RowState AllocateRowState() => new()
    {
        Time = Allocate<double>(_rows).View,
        Step = Allocate<double>(_rows).View,
        PrevTime = Allocate<double>(_rows).View,
        UsedStep = Allocate<double>(_rows).View,
        PrevError = Allocate<double>(_rows).View,
        ErrorNorm = Allocate<double>(_rows).View,
        Status = Allocate<int>(_rows).View,
        Active = Allocate<int>(_rows).View,
        Accepted = Allocate<int>(_rows).View,
        NeedsOutput = Allocate<int>(_rows).View,
        NextOutput = Allocate<int>(_rows).View,
        AcceptedSteps = Allocate<int>(_rows).View,
        RejectedSteps = Allocate<int>(_rows).View,
        Evaluations = Allocate<int>(_rows).View,
        Flags = Allocate<int>(_rows).View,
    };

    private ArrayView<T> Stage(int stage) => _k.View.SubView((long)stage * _length, _length);

    private MemoryBuffer1D<TElement, Stride1D.Dense> Allocate<TElement>(long length) where TElement : unmanaged =>
        Keep(_device.Allocate<TElement>(length));

    private MemoryBuffer1D<TElement, Stride1D.Dense> Upload<TElement>(TElement[] data) where TElement : unmanaged =>
        Keep(_device.Upload(data));

    private TBuffer Keep<TBuffer>(TBuffer buffer) where TBuffer : IDisposable
    {
        _buffers.Add(buffer);
        return buffer;
    }

    /// <summary>A tableau's coefficients on the device: rows of a, b, error weights and the interpolant.</summary>
    private sealed class TableauBuffers
    {
        private readonly ArrayView<double> _a, _extraA;
        private readonly int[] _rowStart, _extraStart;

        public TableauBuffers(BatchedRun<T, TP> run, ButcherTableau m)
        {
            (_a, _rowStart) = Flatten(run, m.A);
            (_extraA, _extraStart) = Flatten(run, m.ExtraA);
            B = run.Upload(m.B).View;
            Error = run.Upload(m.BError ?? new double[m.Stages]).View;
            Error3 = m.BError3 is null ? default : run.Upload(m.BError3).View;
            var used = Enumerable.Range(0, m.ExtendedStages).Where(j => m.Interpolant.Weights[j].Any(w => w != 0)).ToArray();
            Dense = run.Upload(used.SelectMany(j => m.Interpolant.Weights[j]).ToArray()).View;
            DenseStages = run.Upload(used).View;
            DenseStageCount = used.Length;
        }

        public ArrayView<double> B { get; }

        public ArrayView<double> Error { get; }

        public ArrayView<double> Error3 { get; }

        public ArrayView<double> Dense { get; }

        public ArrayView<int> DenseStages { get; }

        public int DenseStageCount { get; }

        public ArrayView<double> Row(int stage) => _a.SubView(_rowStart[stage], Math.Max(stage, 1));

        public ArrayView<double> ExtraRow(int extra) => _extraA.SubView(_extraStart[extra], Math.Max(_extraStart[extra + 1] - _extraStart[extra], 1));

        private static (ArrayView<double>, int[]) Flatten(BatchedRun<T, TP> run, double[][] rows)
        {
            var start = new int[rows.Length + 1];
            for (var i = 0; i < rows.Length; i++)
                start[i + 1] = start[i] + rows[i].Length;
            return (run.Upload(rows.SelectMany(r => r).ToArray()).View, start);
        }
    }
}
