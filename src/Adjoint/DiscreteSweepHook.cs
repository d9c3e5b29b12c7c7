using System.Numerics;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.Ensemble.Adjoint;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Adjoint;

/// <summary>
/// Runs <see cref="DiscreteSweepKernels.Sweep"/> on each chunk's step record while it is still on the device, and
/// scatters the chunk's gradients into <see cref="FusedGradients{T}"/> at the rows the solve covered. The cotangents
/// are given, or come from a loss of the chunk's outputs (a loss is per row, so a chunk's rows are all it needs).
/// </summary>
internal sealed class DiscreteSweepHook<T, TP, TState, TParams, TSystem, TAdjoint, TStepper> : IEnsembleRecordHook<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TParams : unmanaged, IStateVector<TParams, T>
    where TSystem : struct, IOdeSystem<T, TState>
    where TAdjoint : struct, IOdeSystem<T, AdjointState<T, TState, TParams>>
    where TStepper : struct, IStepper
{
    private readonly OdeDevice _device;
    private readonly TSystem _system;
    private readonly TAdjoint _adjoint;
    private readonly int[] _rows;
    private readonly double[] _times;
    private readonly T[,,]? _cotangents;
    private readonly ILoss<T>? _loss;
    private readonly Tableaux.ButcherTableau _method;
    private readonly int _parameters;
    private readonly FusedGradients<T> _results;

    /// <summary>A hook for a solve of the ensemble's rows <paramref name="rows"/>, in that order, with the given cotangents or a loss.</summary>
    public DiscreteSweepHook(OdeDevice device, TSystem system, TAdjoint adjoint, int[] rows, double[] times, T[,,]? cotangents, ILoss<T>? loss,
        Tableaux.ButcherTableau method, int parameters, FusedGradients<T> results)
    {
        (_device, _system, _adjoint, _rows, _times, _cotangents, _loss, _method, _parameters, _results) =
            (device, system, adjoint, rows, times, cotangents, loss, method, parameters, results);
    }

    /// <inheritdoc />
    public void Recorded(EnsembleRecord<T> record)
    {
        var count = record.Count;
        var dim = TState.Dimension;
        using var times = _device.Upload(_times);
        using var cotangents = _device.Upload(_loss is null ? Given(record.First, count) : FromLoss(record));
        using var state = _device.Allocate<T>((long)dim * count);
        using var parameters = _device.Allocate<T>((long)TParams.Dimension * count);
        using var shift = _device.Allocate<T>(count);
        using var evaluations = _device.Allocate<int>(count);
        var args = new DiscreteSweepArgs<T, TSystem, TAdjoint>
        {
            System = _system, Adjoint = _adjoint, Count = count, Steps = record.Steps, StepTimes = record.StepTimes,
            AcceptedSteps = record.AcceptedSteps, Status = record.Status, Parameters = record.Parameters, ParameterCount = _parameters,
            Times = times.View, OutputCount = _times.Length, Cotangents = cotangents.View, StateGradient = state.View,
            ParameterGradient = parameters.View, TimeShift = shift.View, Evaluations = evaluations.View,
        };
        _device.Launch(DiscreteSweepKernels.Sweep<T, TP, TState, TParams, TSystem, TAdjoint, TStepper>, count, args, parallelFrom: 2, unevenWork: true);
        _results.Scatter(_rows.AsSpan(record.First, count), _device.Download<T>(state.View), _device.Download<T>(parameters.View),
            _device.Download<T>(shift.View), _device.Download<int>(evaluations.View));
    }

    // The given cotangents of the chunk's rows.
    private T[] Given(int first, int count) =>
        ComponentMajor.Layout(count, _times.Length, TState.Dimension, (i, j, d) => _cotangents![_rows[first + i], j, d]);

    // The loss of the chunk's outputs, its values kept for the result.
    private T[] FromLoss(EnsembleRecord<T> record)
    {
        int count = record.Count, outputs = _times.Length, dim = TState.Dimension;
        var values = _device.DownloadTransposed(record.Outputs, count, (long)outputs * dim);
        var status = _device.Download(record.Status).Select(s => (TrajectoryStatus)s).ToArray();
        var statistics = new SolveStatistics(new int[count], new int[count], new int[count], 0);
        var chunk = new Solution<T>(count, dim, _times, values, status, statistics, _method, _device.Description, TimeSpan.Zero, TimeSpan.Zero, "ensemble");
        var (loss, cotangents) = SavedLoss.Evaluate(_loss!, chunk);
        for (var i = 0; i < count; i++)
        {
            var row = _rows[record.First + i];
            _results.Loss[row] = loss[i];
            for (var j = 0; j < outputs; j++)
                for (var d = 0; d < dim; d++)
                    _results.Cotangents[row, j, d] = cotangents[i, j, d];
        }
        return ComponentMajor.Layout(count, outputs, dim, (i, j, d) => cotangents[i, j, d]);
    }
}
