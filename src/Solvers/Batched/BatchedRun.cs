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

/// <summary>One batched solve: owns its device buffers and runs the host loop over the stage kernels.</summary>
internal sealed class BatchedRun<T, TP>
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
    private readonly double[] _times;
    private readonly int _rows, _dim;
    private readonly long _length;
    private readonly ControlSettings _settings;
    private readonly List<IDisposable> _buffers = [];
    private readonly T[,] _y0;

    private readonly MemoryBuffer1D<T, Stride1D.Dense> _k, _output;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _counters;
    private readonly MemoryBuffer1D<long, Stride1D.Dense> _progressSum;
    private readonly RowState _state;
    private readonly TableauBuffers _coefficients;
    private readonly InitialStepArgs<T> _initial;
    private readonly CombineArgs<T> _combine;
    private readonly ProposeArgs<T> _propose;
    private readonly NormArgs<T> _norm;
    private readonly ControlArgs _control;
    private readonly DenseArgs<T> _dense;
    private readonly CommitArgs<T> _commit;
    private readonly int[] _readback = new int[CounterCount];
    private readonly long[] _progress = new long[1];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Uploads the inputs and allocates every buffer of the solve; nothing is launched yet.</summary>
    public BatchedRun(IBatchedDynamics<T> dynamics, T[,] y0, double[] times, SolveOptions options)
    {
        _dynamics = dynamics;
        _device = dynamics.Device;
        _method = options.Method;
        _options = options;
        _times = (double[])times.Clone();
        _rows = dynamics.Rows;
        _dim = dynamics.Dimension;
        _length = BatchIndex.Elements(_rows, _dim);
        _y0 = y0;
        _settings = ControlSettingsOf.From(options, times[0], times[^1], times.Length);
        try
        {
            var m = _method;
            var y = Upload(_y0.Cast<T>().ToArray()).View;
            var yNew = Allocate<T>(_length).View;
            var probe = Allocate<T>(_length).View;
            var stageTime = Allocate<double>(_rows).View;
            var errorSquares = Allocate<T>(_length).View;
            var errorSquares3 = Allocate<T>(m.BError3 is null ? 1 : _length).View;
            var outputTimes = Upload(_times).View;
            var atol = Upload(Atol()).View;
            _k = Allocate<T>((long)m.ExtendedStages * _length);
            _output = Upload(InitialOutput());
            _counters = Allocate<int>(CounterCount);
            _progressSum = Allocate<long>(1);
            _state = AllocateRowState();
            _coefficients = new TableauBuffers(this, m);
            _initial = new InitialStepArgs<T>
            {
                State = _state, Settings = _settings, Y = y, F0 = Stage(0), F1 = Stage(1), Probe = probe,
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
                ErrorWeights3 = _coefficients.Error3, StageCount = m.Stages, Atol = atol, Rtol = _settings.RelativeTolerance,
                ErrorSquares = errorSquares, ErrorSquares3 = errorSquares3, Step = _state.Step, Active = _state.Active,
                Dimension = _dim, Length = _length,
            };
            _norm = new NormArgs<T>
            {
                ErrorSquares = errorSquares, ErrorSquares3 = errorSquares3, RowSums = Allocate<double>(_rows).View,
                RowSums3 = Allocate<double>(_rows).View, ErrorNorm = _state.ErrorNorm, Active = _state.Active, Dimension = _dim,
                Rows = _rows, TwoEstimates = m.BError3 is null ? 0 : 1,
            };
            _control = new ControlArgs { State = _state, Settings = _settings, Times = outputTimes, Progress = Upload(new long[_rows]).View };
            _dense = new DenseArgs<T>
            {
                State = _state, Y = y, YNew = yNew, K = _k.View, Output = _output.View, Times = outputTimes,
                Coefficients = _coefficients.Dense, Stages = _coefficients.DenseStages, StageCount = _coefficients.DenseStageCount,
                Degree = m.Interpolant.Degree, Dimension = _dim, Length = _length, OutputCount = _times.Length, Direction = _settings.Direction,
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

    /// <summary>Runs the solve to the end, then frees the buffers.</summary>
    public Solution<T> Run()
    {
        try
        {
            var compute = Stopwatch.StartNew();
            Start();
            var steps = 0;
            do
            {
                _options.Cancellation.ThrowIfCancellationRequested();
                Step();
                steps++;
                Report(steps);
            }
            while (_readback[Running] > 0);
            return Collect(steps, compute.Elapsed);
        }
        finally
        {
            Dispose();
        }
    }

    private void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    // f(t0, y0), then the first step: given, or estimated with one more evaluation.
    private void Start()
    {
        _dynamics.Evaluate(_state.Time, _initial.Y, Stage(0));
        if (_settings.Adaptive == 0 || _options.InitialStep is not null)
        {
            _device.Launch(InitialStepKernels.UseGiven<T>, _rows, _initial);
            return;
        }
        _device.Launch(InitialStepKernels.Probe<T, TP>, _rows, _initial);
        _dynamics.Evaluate(_initial.ProbeTime, _initial.Probe, Stage(1));
        _device.Launch(InitialStepKernels.Estimate<T, TP>, _rows, _initial);
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
            _dynamics.Evaluate(_combine.StageTime, _combine.Output, Stage(s));
        }
        // The norm also flags non-finite states, so fixed-step solves compute it too (their error weights are zero).
        _device.LaunchElements(ErrorKernels.Propose<T, TP>, _length, _propose);
        _device.Launch(ErrorKernels.RowNorm<T, TP>, _rows, _norm);
        if (_options.SharedStep && _settings.Adaptive != 0)
            _device.Launch(ErrorKernels.SharedNorm, 1, _norm);
        _device.Launch(ControlKernels.Control, _rows, _control);
        ReadCounters();
        if (_readback[AcceptedRows] > 0)
            Advance();
    }

    // Reductions over the per-row flags the controller wrote, in place of same-address atomics that serialize on GPUs.
    private void ReadCounters()
    {
        var counters = _counters.View;
        _device.Reduce<int, AddInt32>(_state.Active, counters.SubView(Running, 1));
        _device.Reduce<int, AddInt32>(_state.Accepted, counters.SubView(AcceptedRows, 1));
        _device.Reduce<int, MaxInt32>(_state.NeedsOutput, counters.SubView(MostOutput, 1));
        counters.CopyToCPU(_readback);
        if (_options.Progress is null)
            return;
        _device.Reduce<long, AddInt64>(_control.Progress, _progressSum.View);
        _progressSum.View.CopyToCPU(_progress);
    }

    // f(t1, y1), the outputs inside or at the end of the accepted steps, and y = y1.
    private void Advance()
    {
        var m = _method;
        if (!m.Fsal)
            _dynamics.Evaluate(_state.Time, _propose.YNew, Stage(m.EndDerivativeStage));
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
            _device.Launch(DenseKernels.Interpolate<T, TP>, _rows, _dense);
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

    private Solution<T> Collect(int steps, TimeSpan compute)
    {
        var values = _device.Download<T>(_output.View);
        var status = _device.Download(_state.Status).Select(s => (TrajectoryStatus)s).ToArray();
        var statistics = new SolveStatistics(
            _device.Download(_state.Evaluations), _device.Download(_state.AcceptedSteps), _device.Download(_state.RejectedSteps), steps);
        return new Solution<T>(_rows, _dim, _times, values, status, statistics, _method, _device.Description, _clock.Elapsed, compute);
    }

    private T[] InitialOutput()
    {
        var output = new T[_length * _times.Length];
        for (var r = 0; r < _rows; r++)
            for (var d = 0; d < _dim; d++)
                output[BatchIndex.Output(r, _times.Length, 0, _dim) + d] = _y0[r, d];
        return output;
    }

    private double[] Atol()
    {
        var atol = (_options.Controller as AdaptiveController)?.Atol ?? [1.0];
        return atol.Length == _dim ? atol : Enumerable.Repeat(atol[0], _dim).ToArray();
    }

    private RowState AllocateRowState() => new()
    {
        Time = Upload(Enumerable.Repeat(_times[0], _rows).ToArray()).View,
        Step = Allocate<double>(_rows).View,
        PrevTime = Allocate<double>(_rows).View,
        UsedStep = Allocate<double>(_rows).View,
        PrevError = Upload(Enumerable.Repeat(1.0, _rows).ToArray()).View,
        ErrorNorm = Upload(new double[_rows]).View,
        Status = Upload(new int[_rows]).View,
        Active = Upload(Enumerable.Repeat(1, _rows).ToArray()).View,
        Accepted = Upload(new int[_rows]).View,
        NeedsOutput = Upload(new int[_rows]).View,
        NextOutput = Upload(Enumerable.Repeat(1, _rows).ToArray()).View,
        AcceptedSteps = Upload(new int[_rows]).View,
        RejectedSteps = Upload(new int[_rows]).View,
        Evaluations = Upload(Enumerable.Repeat(1, _rows).ToArray()).View,
        Flags = Upload(new int[_rows]).View,
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
