using System.Numerics;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.Precision;

namespace OdeGpu.Adjoint;

/// <summary>
/// The discrete adjoint: the forward solve's accepted steps replayed from the last to the first, each step's stages
/// recomputed from its recorded start and then differentiated in reverse order, so that the gradient is that of what was
/// computed, to round-off. The step sizes are taken as given (the controller is not differentiated, as in torchdiffeq).
/// </summary>
public static class DiscreteAdjointKernels
{
    /// <summary>Clears one row's adjoint and gradients before the sweep.</summary>
    public static void Begin<T>(Index1D index, DiscreteAdjointArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        BeginAt<T>(index, a);

    /// <summary>
    /// With checkpoints, at the start of a window of CheckpointEvery iterations: the row's window of steps, its nearest
    /// checkpoint at or before it (copied to slot 0 of its segment), and in Needs the steps to recompute from there.
    /// </summary>
    public static void Checkpoint<T>(Index1D index, DiscreteAdjointArgs<T> a) where T : unmanaged =>
        CheckpointAt<T>(index, a);

    /// <summary>With checkpoints: loads a row's recomputed step Recompute (inactive once the row's window is filled).</summary>
    public static void PrepareRecompute<T>(Index1D index, DiscreteAdjointArgs<T> a) where T : unmanaged =>
        PrepareRecomputeAt<T>(index, a);

    /// <summary>With checkpoints: one element of y_n+1 = y_n + sum over the first Stage stages of (b_j h) K_j, into the next segment slot.</summary>
    public static void FinishRecompute<T, TP>(Index1D index, DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        FinishRecomputeAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Loads a row's step of this iteration (or its initial state, inactive) and says what the step needs.</summary>
    public static void Prepare<T>(Index1D index, DiscreteAdjointArgs<T> a) where T : unmanaged =>
        PrepareAt<T>(index, a);

    /// <summary>One element of stage state Y_j = y_n + h sum_l M[j, l] K_l, and its time t_n + c_j h.</summary>
    public static void StageState<T, TP>(Index1D index, DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        StageStateAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Seeds a row's stage adjoints from dL/dy_n+1 and from the outputs inside the step; dL/dt of those outputs.</summary>
    public static void Seed<T, TP>(Index1D index, DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        SeedAt<T, TP>(index, a);

    /// <summary>Adds stage j's VJP to dL/dy_n and to the adjoints of the stages it was combined from.</summary>
    public static void Accumulate<T, TP>(Index1D index, DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        AccumulateAt<T, TP, ViewIndexer>(index, a);

    /// <summary>Adds stage j's parameter VJP to one element of the row's dL/dtheta (or of the shared one, with SumRows).</summary>
    public static void AccumulateParameters<T>(Index1D index, DiscreteAdjointArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        AccumulateParametersAt<T, ViewIndexer>(index, a);

    /// <summary>After the sweep: dL/d(initial state), and dL/dt0 as the stages' time VJPs less every later output's dL/dt.</summary>
    public static void Finish<T, TP>(Index1D index, DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T> =>
        FinishAt<T, TP>(index, a);

    // The bodies at one index, the arguments by reference: the direct CPU launcher calls them without copying them.
    internal static void BeginAt<T>(Index1D index, in DiscreteAdjointArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int row = index;
        for (var d = 0; d < a.Dimension; d++)
            a.YBar[(long)row * a.Dimension + d] = T.Zero;
        for (var p = 0; a.SumRows == 0 && p < a.Parameters; p++)
            a.ParameterGradient[(long)row * a.Parameters + p] = T.Zero;
        for (var i = 0; i < a.Outputs; i++)
            a.TimeGradient[(long)row * a.Outputs + i] = T.Zero;
        a.TimeShift[row] = T.Zero;
        a.Evaluations[row] = 0;
        a.NextOutput[row] = a.Outputs - 1;
    }

    internal static void PrepareAt<T>(Index1D index, in DiscreteAdjointArgs<T> a) where T : unmanaged
    {
        int row = index;
        var n = a.StepCounts[row] - 1 - a.Iteration;
        var active = a.ForwardStatus[row] == (int)TrajectoryStatus.Success && n >= 0;
        var slot = active ? n : 0;
        var times = (long)row * a.StepSlots;
        var start = a.StepTimes[times + slot];
        var end = active ? a.StepTimes[times + slot + 1] : start;
        a.Active[row] = active ? 1 : 0;
        a.StepStart[row] = start;
        a.StepSize[row] = end - start;
        var source = a.CheckpointEvery == 1
            ? a.Steps.SubView(BatchIndex.Output(row, a.StateSlots, slot, a.Dimension), a.Dimension)
            : a.Segment.SubView(BatchIndex.Output(row, a.SegmentSlots, active ? slot - a.SegmentStart[row] : 0, a.Dimension), a.Dimension);
        for (var d = 0; d < a.Dimension; d++)
            a.Y[(long)row * a.Dimension + d] = source[d];
        var next = a.NextOutput[row];
        a.Needs[row] = active && next >= 1 && a.Direction * (a.Times[next] - start) > 0 ? 1 : 0;
    }

    internal static void CheckpointAt<T>(Index1D index, in DiscreteAdjointArgs<T> a) where T : unmanaged
    {
        int row = index;
        var last = a.StepCounts[row] - 1 - a.Iteration;
        var every = a.CheckpointEvery;
        var start = last >= 0 && a.ForwardStatus[row] == (int)TrajectoryStatus.Success ? Math.Max(0, last - every + 1) / every * every : 0;
        a.SegmentStart[row] = start;
        a.Needs[row] = Math.Max(0, last - start);
        var source = BatchIndex.Output(row, a.StateSlots, start / every, a.Dimension);
        var target = BatchIndex.Output(row, a.SegmentSlots, 0, a.Dimension);
        for (var d = 0; d < a.Dimension; d++)
            a.Segment[target + d] = a.Steps[source + d];
    }

    internal static void PrepareRecomputeAt<T>(Index1D index, in DiscreteAdjointArgs<T> a) where T : unmanaged
    {
        int row = index;
        var active = a.Recompute < a.Needs[row];
        var n = a.SegmentStart[row] + a.Recompute;
        var times = (long)row * a.StepSlots;
        a.Active[row] = active ? 1 : 0;
        a.StepStart[row] = active ? a.StepTimes[times + n] : 0;
        a.StepSize[row] = active ? a.StepTimes[times + n + 1] - a.StepTimes[times + n] : 0;
        if (!active)
            return;
        var source = BatchIndex.Output(row, a.SegmentSlots, a.Recompute, a.Dimension);
        for (var d = 0; d < a.Dimension; d++)
            a.Y[(long)row * a.Dimension + d] = a.Segment[source + d];
    }

    internal static void FinishRecomputeAt<T, TP, TAccess>(Index1D index, in DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var row = BatchIndex.Row(i, a.Dimension);
        if (TAccess.At(a.Active, row) == 0)
            return;
        var length = (long)a.Rows * a.Dimension;
        var h = TAccess.At(a.StepSize, row);
        // the forward step's arithmetic (ErrorKernels.Propose): the weighted stages summed, then added to y
        var sum = T.Zero;
        for (var j = 0; j < a.Stage; j++)
            sum += TP.FromDouble(TAccess.At(a.Weights, j) * h) * TAccess.At(a.K, BatchIndex.Stage(j, length, i));
        var component = BatchIndex.Component(i, row, a.Dimension);
        TAccess.At(a.Segment, BatchIndex.Output(row, a.SegmentSlots, a.Recompute + 1, a.Dimension) + component) = TAccess.At(a.Y, i) + sum;
    }

    internal static void StageStateAt<T, TP, TAccess>(Index1D index, in DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var row = BatchIndex.Row(i, a.Dimension);
        var length = (long)a.Rows * a.Dimension;
        var h = TAccess.At(a.StepSize, row);
        var value = TAccess.At(a.Y, i);
        for (var l = 0; l < a.Stage; l++)
        {
            var weight = TAccess.At(a.Combination, a.Stage * a.ExtendedStages + l);
            if (weight != 0.0)
                value += TP.FromDouble(weight * h) * TAccess.At(a.K, BatchIndex.Stage(l, length, i));
        }
        TAccess.At(a.StageStates, BatchIndex.Stage(a.Stage, length, i)) = value;
        if (BatchIndex.Component(i, row, a.Dimension) == 0)
        {
            TAccess.At(a.StageTimes, (long)a.Stage * a.Rows + row) = TAccess.At(a.StepStart, row) + TAccess.At(a.Nodes, a.Stage) * h;
            TAccess.At(a.Evaluations, row) += a.Kept != 0 ? 0 : TAccess.At(a.Active, row);
        }
    }

    internal static void SeedAt<T, TP>(Index1D index, in DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        int row = index;
        var dim = a.Dimension;
        var length = (long)a.Rows * dim;
        var state = (long)row * dim;
        if (a.Active[row] == 0)
        {
            for (var j = 0; j < a.ExtendedStages; j++)
                for (var d = 0; d < dim; d++)
                    a.KBar[BatchIndex.Stage(j, length, state + d)] = T.Zero;
            return;
        }
        var start = a.StepStart[row];
        var h = a.StepSize[row];
        var end = a.StepTimes[(long)row * a.StepSlots + a.StepCounts[row] - a.Iteration];
        var first = a.NextOutput[row];
        var last = first;
        for (; last >= 1 && a.Direction * (a.Times[last] - start) > 0; last--)
        {
            if (a.Times[last] == end)
                AddCotangent(a, row, last);
        }
        // dL/dy_n+1 is complete: y_n+1 = y_n + h sum_j b_j K_j
        for (var j = 0; j < a.ExtendedStages; j++)
            for (var d = 0; d < dim; d++)
                a.KBar[BatchIndex.Stage(j, length, state + d)] = TP.FromDouble(a.Weights[j] * h) * a.YBar[state + d];
        for (var i = first; i > last; i--)
            SeedOutput<T, TP>(a, row, i, start, end);
        a.NextOutput[row] = last;
    }

    internal static void AccumulateAt<T, TP, TAccess>(Index1D index, in DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var row = BatchIndex.Row(i, a.Dimension);
        if (TAccess.At(a.Active, row) == 0)
            return;
        var length = (long)a.Rows * a.Dimension;
        var h = TAccess.At(a.StepSize, row);
        var adjoint = TAccess.At(a.StageAdjoint, i);
        TAccess.At(a.YBar, i) += adjoint;
        for (var l = 0; l < a.Stage; l++)
        {
            var weight = TAccess.At(a.Combination, a.Stage * a.ExtendedStages + l);
            if (weight != 0.0)
                TAccess.At(a.KBar, BatchIndex.Stage(l, length, i)) += TP.FromDouble(weight * h) * adjoint;
        }
        if (BatchIndex.Component(i, row, a.Dimension) != 0)
            return;
        TAccess.At(a.TimeShift, row) += TAccess.At(a.StageTime, row);
        TAccess.At(a.Evaluations, row) += 1;
    }

    internal static void AccumulateParametersAt<T, TAccess>(Index1D index, in DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        if (a.SumRows != 0 || TAccess.At(a.Active, BatchIndex.Row(i, a.Parameters)) != 0)
            TAccess.At(a.ParameterGradient, i) += TAccess.At(a.StageParameters, i);
    }

    internal static void FinishAt<T, TP>(Index1D index, in DiscreteAdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        int row = index;
        var failed = a.ForwardStatus[row] != (int)TrajectoryStatus.Success;
        var nan = TP.FromDouble(double.NaN);
        var state = (long)row * a.Dimension;
        var first = BatchIndex.Output(row, a.Outputs, 0, a.Dimension);
        for (var d = 0; d < a.Dimension; d++)
            a.InitialStateGradient[state + d] = failed ? nan : a.YBar[state + d] + a.Cotangent[first + d];
        var t0 = a.TimeShift[row];
        for (var i = 1; i < a.Outputs; i++)
            t0 -= a.TimeGradient[(long)row * a.Outputs + i];
        a.TimeGradient[(long)row * a.Outputs] = failed ? nan : t0;
        if (!failed)
            return;
        for (var i = 1; i < a.Outputs; i++)
            a.TimeGradient[(long)row * a.Outputs + i] = nan;
        for (var p = 0; a.SumRows == 0 && p < a.Parameters; p++)
            a.ParameterGradient[(long)row * a.Parameters + p] = nan;
    }

    // An output at the step's end: its cotangent joins dL/dy_n+1.
    private static void AddCotangent<T>(in DiscreteAdjointArgs<T> a, int row, int output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var source = BatchIndex.Output(row, a.Outputs, output, a.Dimension);
        for (var d = 0; d < a.Dimension; d++)
            a.YBar[(long)row * a.Dimension + d] += a.Cotangent[source + d];
    }

    // Output i in the step. Inside, y = y_n + h sum_j b_j(theta) K_j adds c to dL/dy_n and h b_j(theta) c to each KBar_j.
    // Its dL/dt is c . sum_j b_j'(theta) K_j, the derivative of the interpolant that computed it; at the step's end, where
    // the output is y_n+1 itself, that of the step's interpolant at theta = 1.
    private static void SeedOutput<T, TP>(in DiscreteAdjointArgs<T> a, int row, int output, double start, double end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var dim = a.Dimension;
        var length = (long)a.Rows * dim;
        var state = (long)row * dim;
        var source = BatchIndex.Output(row, a.Outputs, output, dim);
        var h = end - start;
        var atEnd = a.Times[output] == end;
        var theta = atEnd ? 1.0 : (a.Times[output] - start) / h;
        var dt = T.Zero;
        for (var j = 0; j < a.ExtendedStages; j++)
        {
            var (weight, slope) = Interpolant(a, j, theta);
            if (atEnd)
                weight = 0.0; // y_n+1 itself: its cotangent is already in dL/dy_n+1
            if (weight == 0.0 && slope == 0.0)
                continue;
            for (var d = 0; d < dim; d++)
            {
                var c = a.Cotangent[source + d];
                var element = BatchIndex.Stage(j, length, state + d);
                a.KBar[element] += TP.FromDouble(weight * h) * c;
                dt += TP.FromDouble(slope) * c * a.K[element];
            }
        }
        if (!atEnd)
        {
            for (var d = 0; d < dim; d++)
                a.YBar[state + d] += a.Cotangent[source + d];
        }
        a.TimeGradient[(long)row * a.Outputs + output] = dt;
    }

    // b_j(theta) and b_j'(theta) by Horner over the powers 1..Degree.
    private static (double Weight, double Slope) Interpolant<T>(in DiscreteAdjointArgs<T> a, int stage, double theta) where T : unmanaged
    {
        var weight = 0.0;
        var slope = 0.0;
        for (var p = a.Degree - 1; p >= 0; p--)
        {
            var coefficient = a.Dense[stage * a.Degree + p];
            slope = slope * theta + (p + 1) * coefficient;
            weight = (weight + coefficient) * theta;
        }
        return (weight, slope);
    }
}
