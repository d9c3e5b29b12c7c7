using System.Diagnostics;
using System.Numerics;
using ILGPU;
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
    private readonly IBatchedDynamics<T> _dynamics;
    private readonly OdeDevice _device;
    private readonly ButcherTableau _method;
    private readonly SolveOptions _options;
    private readonly double[] _times;
    private readonly int _rows, _dim, _length;
    private readonly ControlSettings _settings;
    private readonly List<IDisposable> _buffers = [];
    private readonly T[,] _y0;

    public BatchedRun(IBatchedDynamics<T> dynamics, T[,] y0, double[] times, SolveOptions options)
    {
        _dynamics = dynamics;
        _device = dynamics.Device;
        _method = options.Method;
        _options = options;
        _times = (double[])times.Clone();
        _rows = dynamics.Rows;
        _dim = dynamics.Dimension;
        _length = _rows * _dim;
        _y0 = y0;
        _settings = ControlSettingsOf.From(options, times[0], times[^1], times.Length);
    }

    public Solution<T> Run()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return Integrate(clock);
        }
        finally
        {
            foreach (var buffer in _buffers)
                buffer.Dispose();
        }
    }

    private Solution<T> Integrate(Stopwatch clock)
    {
        var m = _method;
        var y = Upload(_y0.Cast<T>().ToArray());
        var yNew = Allocate<T>(_length);
        var probe = Allocate<T>(_length);
        var k = Allocate<T>((long)m.ExtendedStages * _length);
        var errorSquares = Allocate<double>(_length);
        var errorSquares3 = Allocate<double>(m.BError3 is null ? 1 : _length);
        var output = Upload(InitialOutput());
        var state = AllocateRowState();
        var stageTime = Allocate<double>(_rows);
        var rowSums = Allocate<double>(_rows);
        var rowSums3 = Allocate<double>(_rows);
        var counters = Allocate<int>(ControlKernels.CounterCount);
        var times = Upload(_times);
        var atol = Upload(Atol());
        var coefficients = new TableauBuffers(this, m);

        var initial = new InitialStepArgs<T>
        {
            State = state, Settings = _settings, Y = y.View, F0 = Stage(k, 0), F1 = Stage(k, 1), Probe = probe.View,
            ProbeTime = stageTime.View, Atol = atol.View, Dimension = _dim,
            Given = _options.InitialStep ?? (_options.Controller as FixedStep)?.Dt ?? 0,
        };
        _dynamics.Evaluate(state.Time, y.View, Stage(k, 0));
        if (_settings.Adaptive != 0 && _options.InitialStep is null)
        {
            _device.Launch(InitialStepKernels.Probe<T, TP>, _rows, initial);
            _dynamics.Evaluate(stageTime.View, probe.View, Stage(k, 1));
            _device.Launch(InitialStepKernels.Estimate<T, TP>, _rows, initial);
            if (_options.SharedStep)
                _device.Launch(InitialStepKernels.Share<T>, 1, initial);
        }
        else
        {
            _device.Launch(InitialStepKernels.UseGiven<T>, _rows, initial);
        }

        var combine = new CombineArgs<T>
        {
            Y = y.View, K = k.View, Output = probe.View, Dimension = _dim, Length = _length,
            BaseTime = state.Time, Step = state.Step, StageTime = stageTime.View, Mask = state.Active, MaskValue = 1, Evaluations = state.Evaluations,
        };
        var propose = new ProposeArgs<T>
        {
            Y = y.View, K = k.View, YNew = yNew.View, Weights = coefficients.B, ErrorWeights = coefficients.Error,
            ErrorWeights3 = coefficients.Error3, StageCount = m.Stages, Atol = atol.View, Rtol = _settings.RelativeTolerance,
            ErrorSquares = errorSquares.View, ErrorSquares3 = errorSquares3.View, Step = state.Step, Active = state.Active,
            Dimension = _dim, Length = _length,
        };
        var norm = new NormArgs
        {
            ErrorSquares = errorSquares.View, ErrorSquares3 = errorSquares3.View, RowSums = rowSums.View, RowSums3 = rowSums3.View,
            ErrorNorm = state.ErrorNorm, Active = state.Active, Dimension = _dim, Rows = _rows, TwoEstimates = m.BError3 is null ? 0 : 1,
        };
        var control = new ControlArgs { State = state, Settings = _settings, Times = times.View, Counters = counters.View };
        var dense = new DenseArgs<T>
        {
            State = state, Y = y.View, YNew = yNew.View, K = k.View, Output = output.View, Times = times.View,
            Coefficients = coefficients.Dense, Stages = coefficients.DenseStages, StageCount = coefficients.DenseStageCount,
            Degree = m.Interpolant.Degree, Dimension = _dim, Length = _length, OutputCount = _times.Length, Direction = _settings.Direction,
        };
        var commit = new CommitArgs<T>
        {
            Y = y.View, YNew = yNew.View, K = k.View, FirstStageSource = m.EndDerivativeStage, ChargeEvaluation = m.Fsal ? 0 : 1,
            Accepted = state.Accepted, Evaluations = state.Evaluations, Dimension = _dim, Length = _length,
        };

        var readback = new int[ControlKernels.CounterCount];
        var steps = 0;
        while (true)
        {
            _options.Cancellation.ThrowIfCancellationRequested();
            for (var s = 1; s < m.Stages; s++)
            {
                _device.Launch(StageKernels.Combine<T, TP>, _length, combine with { Coefficients = coefficients.Row(s), Count = s, Node = m.C[s] });
                _dynamics.Evaluate(stageTime.View, probe.View, Stage(k, s));
            }
            // The norm also flags non-finite states, so fixed-step solves compute it too (their error weights are zero).
            _device.Launch(ErrorKernels.Propose<T, TP>, _length, propose);
            _device.Launch(ErrorKernels.RowNorm, _rows, norm);
            if (_options.SharedStep && _settings.Adaptive != 0)
                _device.Launch(ErrorKernels.SharedNorm, 1, norm);
            _device.Launch<ArrayView<int>>(CommitKernels.Clear, ControlKernels.CounterCount, counters.View);
            _device.Launch(ControlKernels.Control, _rows, control);
            counters.View.CopyToCPU(readback);
            steps++;

            if (readback[ControlKernels.AcceptedRows] > 0)
            {
                if (!m.Fsal)
                    _dynamics.Evaluate(state.Time, yNew.View, Stage(k, m.EndDerivativeStage));
                if (readback[ControlKernels.NeedInterpolant] > 0)
                {
                    for (var e = 0; e < m.ExtraC.Length; e++)
                    {
                        var stage = m.EndDerivativeStage + 1 + e;
                        _device.Launch(StageKernels.Combine<T, TP>, _length, combine with
                        {
                            Coefficients = coefficients.ExtraRow(e), Count = stage, Node = m.ExtraC[e],
                            BaseTime = state.PrevTime, Step = state.UsedStep, Mask = state.NeedsOutput, MaskValue = 2,
                        });
                        _dynamics.Evaluate(stageTime.View, probe.View, Stage(k, stage));
                    }
                }
                if (readback[ControlKernels.NeedInterpolant] + readback[ControlKernels.NeedOutput] > 0)
                    _device.Launch(DenseKernels.Interpolate<T, TP>, _rows, dense);
                _device.Launch(CommitKernels.Commit, _length, commit);
            }
            Report(readback, steps, clock);
            if (readback[ControlKernels.Running] == 0)
                break;
        }
        return Collect(output, state, steps, clock);
    }

    private void Report(int[] counters, int steps, Stopwatch clock)
    {
        if (_options.Progress is null)
            return;
        var running = counters[ControlKernels.Running];
        var fraction = ((_rows - running) * 1000.0 + counters[ControlKernels.Progress]) / (1000.0 * _rows);
        _options.Progress.Report(new SolveProgress(Math.Clamp(fraction, 0, 1), steps, running, clock.Elapsed));
    }

    private Solution<T> Collect(MemoryBuffer1D<T, Stride1D.Dense> output, RowState state, int steps, Stopwatch clock)
    {
        var values = _device.Download<T>(output.View);
        var status = _device.Download(state.Status).Select(s => (TrajectoryStatus)s).ToArray();
        var statistics = new SolveStatistics(
            _device.Download(state.Evaluations), _device.Download(state.AcceptedSteps), _device.Download(state.RejectedSteps), steps);
        return new Solution<T>(_rows, _dim, _times, values, status, statistics, _method, _device.Description, clock.Elapsed);
    }

    private T[] InitialOutput()
    {
        var output = new T[(long)_length * _times.Length];
        for (var r = 0; r < _rows; r++)
            for (var d = 0; d < _dim; d++)
                output[(long)r * _times.Length * _dim + d] = _y0[r, d];
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

    private ArrayView<T> Stage(MemoryBuffer1D<T, Stride1D.Dense> k, int stage) => k.View.SubView((long)stage * _length, _length);

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
