using System.Diagnostics;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble;

/// <summary>One chunk of an ensemble solve: owns its device buffers and runs the slice loop of the fused kernel.</summary>
internal sealed class EnsembleRun<T, TState, TSystem, TAction> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TSystem : struct, IOdeSystem<T, TState>
    where TAction : struct, IOutputAction<T, TState>
{
    // The fused kernel does a whole slice per index, so even a few trajectories are worth spreading over the cores.
    private const int ParallelFrom = 2;

    private readonly OdeDevice _device;
    private readonly List<IDisposable> _buffers = [];
    private readonly int _count, _first;
    private readonly TimeGrid _times;
    private readonly bool _saveSteps;
    private readonly int _slots, _stepSlots;
    private readonly IEnsembleRecordHook<T>? _record;
    private readonly SolveOptions _options;
    private readonly EnsembleOptions _ensemble;
    private readonly Action<Index1D, EnsembleArgs<T, TSystem, TAction>> _start, _advance;
    private readonly LanePath<T, TState, TSystem>? _lanes;
    private readonly SimdReport _simd;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _order;
    private readonly int[] _launchOrder;
    private readonly MemoryBuffer1D<long, Stride1D.Dense> _counters;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private EnsembleArgs<T, TSystem, TAction> _args;

    private EnsembleRun(OdeDevice device, TSystem system, TAction action, TState[] y0, T[,]? parameters, TimeGrid times, SolveOptions options,
        EnsembleOptions ensemble, Type stepper, int first, int count, IEnsembleRecordHook<T>? record)
    {
        _device = device;
        _times = times;
        _options = options;
        _record = record;
        _saveSteps = options.SaveAt.Kind == SaveKind.Steps;
        _slots = _saveSteps ? options.MaxSteps + 1 : times.Count;
        _stepSlots = _saveSteps || record is not null ? options.MaxSteps + 1 : 0;
        _ensemble = ensemble;
        _first = first;
        _count = count;
        var precision = PrecisionOf.Struct<T>();
        _start = Kernel(nameof(EnsembleKernels.Start), typeof(T), precision, typeof(TState), typeof(TSystem), typeof(TAction));
        _advance = Kernel(nameof(EnsembleKernels.Advance), typeof(T), precision, typeof(TState), typeof(TSystem), stepper, typeof(TAction));
        _launchOrder = Enumerable.Range(0, count).ToArray();
        _order = Keep(device.Upload(_launchOrder));
        _counters = Keep(device.Allocate<long>(2));
        _args = Arguments(system, y0, parameters) with { Action = action };
        (_lanes, _simd) = LanePath<T, TState, TSystem>.Choose<TAction>(device, system, stepper, ensemble, y0[first],
            parameters is null ? [] : [.. Enumerable.Range(0, parameters.GetLength(1)).Select(k => parameters[first, k])], Span(0).T0);
    }

    /// <summary>
    /// Solves the ensemble chunk by chunk, yielding each chunk's solution when it is done. With <paramref name="record"/>,
    /// each chunk also records its accepted steps, which the hook sees on the device before the chunk's buffers are freed.
    /// </summary>
    public static IEnumerable<Solution<T>> Chunks(OdeDevice device, TSystem system, TAction action, TState[] y0, T[,]? parameters, TimeGrid times,
        SolveOptions options, EnsembleOptions ensemble, Type stepper, int chunkSize, IEnsembleRecordHook<T>? record = null)
    {
        for (var first = 0; first < y0.Length; first += chunkSize)
        {
            var count = Math.Min(chunkSize, y0.Length - first);
            using var run = new EnsembleRun<T, TState, TSystem, TAction>(device, system, action, y0, parameters, times, options, ensemble, stepper, first, count, record);
            yield return run.Solve(y0.Length);
        }
    }

    public void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    private Solution<T> Solve(int total)
    {
        var compute = Stopwatch.StartNew();
        _device.Launch(_start, _count, _args, ParallelFrom);
        // Threads of finished trajectories return at once, so a slice relaunches the same list until compacting pays.
        var launched = _count;
        var slices = 0;
        var counters = new long[2];
        // On lanes a short first slice measures each adaptive trajectory's pace, to rebuild the groups from alike ones
        // (a fixed step's pace is known: lanes on one span stay alike, and the probe's slice and regrouping would cost
        // a fixed-step L1(a) about a fifth of its time).
        var probe = _lanes is not null && _ensemble.Compaction && _options.Controller is AdaptiveController
            && _ensemble.SliceSteps > LaneGrouping.ProbeSteps;
        while (launched > 0)
        {
            _options.Cancellation.ThrowIfCancellationRequested();
            _args.SliceSteps = probe ? LaneGrouping.ProbeSteps : _ensemble.SliceSteps;
            if (_lanes is not null)
                _lanes.Advance(_device, Unsafe.As<EnsembleArgs<T, TSystem, TAction>, EnsembleArgs<T, TSystem, NoOutputAction<T, TState>>>(ref _args), launched);
            else
                _device.Launch(_advance, launched, _args, ParallelFrom, unevenWork: true);
            slices++;
            _device.Reduce<long, AddInt64>(_args.Running, _counters.View.SubView(0, 1));
            if (_options.Progress is not null)
                _device.Reduce<long, AddInt64>(_args.Progress, _counters.View.SubView(1, 1));
            _device.Read(_counters.View, counters);
            var running = (int)counters[0];
            if (running == 0)
                launched = 0;
            else if (probe)
                launched = Regroup(launched);
            else if (_ensemble.Compaction && running <= launched * 3L / 4)
                launched = Compact(_device.Download<int>(_args.Status), launched);
            probe = false;
            Report(total, running, counters[1], slices);
        }
        _record?.Recorded(new EnsembleRecord<T>(_first, _count, _args.Steps, _args.StepTimes, _args.AcceptedSteps, _args.Status, _args.Parameters, _args.Output));
        return Collect(slices, compute.Elapsed);
    }

    // The still-running trajectories, in their launch order, become the first entries of Order.
    private int Compact(int[] status, int launched) => Launch(Running(status, launched));

    // Compaction after the first slice on lanes, the groups then rebuilt from trajectories of alike remaining work.
    private int Regroup(int launched)
    {
        var order = Running(_device.Download<int>(_args.Status), launched);
        var time = _device.Download<double>(_args.Time);
        var accepted = _device.Download<int>(_args.AcceptedSteps);
        var remaining = order.Select(i =>
        {
            var (t0, t1) = Span(i);
            return LaneGrouping.Remaining(t0, time[i], t1, accepted[i], _options.MaxSteps);
        }).ToArray();
        LaneGrouping.Regroup(order, remaining, _simd.Lanes);
        return Launch(order);
    }

    private int[] Running(int[] status, int launched) =>
        _launchOrder[..launched].Where(i => status[i] == (int)TrajectoryStatus.Running).ToArray();

    // The first entries of Order, here and on the device; returns how many.
    private int Launch(int[] order)
    {
        order.CopyTo(_launchOrder, 0);
        if (order.Length > 0)
            _order.View.SubView(0, order.Length).CopyFromCPU(order);
        return order.Length;
    }

    // Finished trajectories count whole; running ones by the share of their span they have covered.
    private void Report(int total, int running, long progress, int slices)
    {
        var done = _first + (_count - running) + progress / 1000.0;
        _options.Progress?.Report(new SolveProgress(Math.Clamp(done / total, 0, 1), slices, running, _clock.Elapsed));
    }

    private (double T0, double T1) Span(int i) => _times.PerTrajectory is { } own
        ? (own[_first + i, 0], own[_first + i, _times.Count - 1])
        : (_times.Values[0], _times.Values[^1]);

    private Solution<T> Collect(int slices, TimeSpan compute)
    {
        var dim = TState.Dimension;
        var m = _slots;
        var values = _device.DownloadTransposed(_args.Output, _count, (long)m * dim);
        var status = _device.Download<int>(_args.Status).Select(s => (TrajectoryStatus)s).ToArray();
        var statistics = new SolveStatistics(_device.Download<int>(_args.Evaluations), _device.Download<int>(_args.AcceptedSteps),
            _device.Download<int>(_args.RejectedSteps), slices);
        var own = _saveSteps ? StepTimes() : null;
        if (_times.PerTrajectory is { } all)
        {
            own = new double[_count, m];
            for (var i = 0; i < _count; i++)
                for (var j = 0; j < m; j++)
                    own[i, j] = all[_first + i, j];
        }
        var times = own is null ? _times.Values : TimeGrid.Row(own, 0);
        return new Solution<T>(_count, dim, times, values, status, statistics, _options.Method, _device.Description, _clock.Elapsed,
            compute, "ensemble", own, _first, _simd);
    }

    // [trajectory, slot] from the kernel's [slot][trajectory].
    private double[,] StepTimes()
    {
        var layout = _device.Download(_args.StepTimes);
        var own = new double[_count, _slots];
        for (var j = 0; j < _slots; j++)
            for (var i = 0; i < _count; i++)
                own[i, j] = layout[(long)j * _count + i];
        return own;
    }

    private EnsembleArgs<T, TSystem, TAction> Arguments(TSystem system, TState[] y0, T[,]? parameters)
    {
        var dim = TState.Dimension;
        var count = _count;
        var state = new T[(long)dim * count];
        for (var i = 0; i < count; i++)
            for (var d = 0; d < dim; d++)
                state[(long)d * count + i] = TState.Component(y0[_first + i], d);
        var parameterCount = parameters?.GetLength(1) ?? 0;
        var p = new T[Math.Max(1, (long)count * parameterCount)];
        for (var i = 0; i < count; i++)
            for (var k = 0; k < parameterCount; k++)
                p[(long)k * count + i] = parameters![_first + i, k];
        var starts = new double[count];
        var ends = new double[count];
        for (var i = 0; i < count; i++)
            (starts[i], ends[i]) = Span(i);
        var adaptive = _options.Controller as AdaptiveController;
        var atol = ControlSettingsOf.Atol(_options, dim);
        var outputs = Keep(_device.Allocate<T>((long)_slots * dim * count)).View;
        _device.Fill(outputs, T.NaN); // output times a trajectory never reaches stay NaN
        return new EnsembleArgs<T, TSystem, TAction>
        {
            System = system,
            Order = _order.View,
            Count = count,
            Y = Keep(_device.Upload(state)).View,
            K1 = Keep(_device.Allocate<T>((long)dim * count)).View,
            Parameters = Keep(_device.Upload(p)).View,
            ParameterCount = parameterCount,
            Time = Keep(_device.Upload(starts)).View,
            Step = Keep(_device.Allocate<double>(count)).View,
            PrevError = Keep(_device.Allocate<double>(count)).View,
            End = Keep(_device.Upload(ends)).View,
            Status = Keep(_device.Allocate<int>(count)).View,
            Flags = Keep(_device.Allocate<int>(count)).View,
            AcceptedSteps = Keep(_device.Upload(new int[count])).View,
            RejectedSteps = Keep(_device.Upload(new int[count])).View,
            Evaluations = Keep(_device.Allocate<int>(count)).View,
            NextOutput = Keep(_device.Allocate<int>(count)).View,
            Times = Keep(_device.Upload(_times.Layout(_first, count))).View,
            TimeRowStride = _times.Shared ? 1 : count,
            TimeTrajectoryStride = _times.Shared ? 0 : 1,
            OutputCount = _saveSteps ? 1 : _times.Count, // saving steps, t0 (written by Start) is the only output time
            SaveSteps = _stepSlots > 0 ? 1 : 0,
            StepTimes = Keep(_device.Upload(_stepSlots > 0 ? Enumerable.Repeat(double.NaN, _stepSlots * count).ToArray() : new double[1])).View,
            Output = outputs,
            Steps = _saveSteps ? outputs : Keep(_device.Allocate<T>(Math.Max(1, (long)_stepSlots * dim * count))).View,
            Atol = Keep(_device.Upload(atol.Select(T.CreateTruncating).ToArray())).View,
            Rtol = adaptive?.Rtol ?? 0,
            Settings = ControlSettingsOf.From(_options, dim),
            InitialStep = _options.InitialStep ?? (_options.Controller as FixedStep)?.Dt ?? 0,
            SliceSteps = _ensemble.SliceSteps,
            Running = Keep(_device.Upload(new long[count])).View,
            Progress = Keep(_device.Upload(new long[count])).View,
        };
    }

    private static Action<Index1D, EnsembleArgs<T, TSystem, TAction>> Kernel(string name, params Type[] typeArguments) =>
        typeof(EnsembleKernels).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!
            .MakeGenericMethod(typeArguments)
            .CreateDelegate<Action<Index1D, EnsembleArgs<T, TSystem, TAction>>>();

    private TBuffer Keep<TBuffer>(TBuffer buffer) where TBuffer : IDisposable
    {
        _buffers.Add(buffer);
        return buffer;
    }
}
