using System.Numerics;
using ILGPU;
using OdeGpu.Precision;

namespace OdeGpu.Batched;

/// <summary>Arguments of <see cref="StartKernels"/>.</summary>
public struct StartArgs<T> where T : unmanaged
{
    /// <summary>Per-row bookkeeping.</summary>
    public RowState State;

    /// <summary>Step-size control constants of the coming solve (its span included).</summary>
    public ControlSettings Settings;

    /// <summary>The states, [rows x dim].</summary>
    public ArrayView<T> Y;

    /// <summary>Outputs, [rows x OutputCount x dim].</summary>
    public ArrayView<T> Output;

    /// <summary>The state dimension.</summary>
    public int Dimension;

    /// <summary>Output times of the whole solve (the stride of <see cref="Output"/>).</summary>
    public int OutputCount;

    /// <summary>The output slot <see cref="StartKernels.Store{T}"/> writes.</summary>
    public int Slot;

    /// <summary>1 when the outputs are every accepted step (<see cref="Steps"/> is then <see cref="Output"/>), whose unused slots are NaN.</summary>
    public int SaveSteps;

    /// <summary>1 to record t0 and every accepted step in <see cref="Steps"/> and <see cref="StepTimes"/>.</summary>
    public int RecordSteps;

    /// <summary>With <see cref="RecordSteps"/>: the state at t0 and after every <see cref="CheckpointEvery"/>-th accepted step, [rows x StateSlots x dim].</summary>
    public ArrayView<T> Steps;

    /// <summary>With <see cref="RecordSteps"/>: 1 to keep every step's state, k to keep every k-th (the discrete adjoint's checkpoints).</summary>
    public int CheckpointEvery;

    /// <summary>State slots per row in <see cref="Steps"/>.</summary>
    public int StateSlots;

    /// <summary>With <see cref="RecordSteps"/>: the time of each recorded step, [rows x StepSlots].</summary>
    public ArrayView<double> StepTimes;

    /// <summary>Recorded steps per row (the step limit plus one).</summary>
    public int StepSlots;

    /// <summary>1 when <see cref="StartKernels.Resume{T}"/> starts a new solve (its counters and step limit start over), 0 inside one.</summary>
    public int NewSolve;
}

/// <summary>
/// Resets or resumes the row state of a reusable batched solver without any upload, so that a solve allocates nothing
/// and copies nothing from the host but its output times.
/// </summary>
public static class StartKernels
{
    /// <summary>A fresh solve of one row from t0: counters cleared, output 0 = y0, later outputs NaN (never reached yet).</summary>
    public static void Reset<T, TP>(Index1D index, StartArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        int row = index;
        var s = a.State;
        s.Time[row] = a.Settings.T0;
        s.Step[row] = 0;
        s.PrevError[row] = 1;
        s.ErrorNorm[row] = 0;
        s.AcceptedSteps[row] = 0;
        s.RejectedSteps[row] = 0;
        s.Evaluations[row] = 1; // f(t0, y0)
        Begin(a, row);
        StoreRow(a, row, 0);
        var target = BatchIndex.Output(row, a.OutputCount, 0, a.Dimension);
        var nan = TP.FromDouble(double.NaN);
        for (var j = (long)a.Dimension; j < (long)a.OutputCount * a.Dimension; j++)
            a.Output[target + j] = nan;
        if (a.RecordSteps == 0)
            return;
        RecordRow(a, row, 0);
        if (a.SaveSteps == 0)
            return;
        for (var j = 1; j < a.StepSlots; j++)
            a.StepTimes[(long)row * a.StepSlots + j] = double.NaN;
    }

    /// <summary>Recording steps: a row that accepted its attempt records its new state and time in slot AcceptedSteps.</summary>
    public static void StoreStep<T>(Index1D index, StartArgs<T> a) where T : unmanaged
    {
        int row = index;
        if (a.State.Accepted[row] != 0)
            RecordRow(a, row, a.State.AcceptedSteps[row]);
    }

    /// <summary>
    /// Continues one row from where its last solve succeeded, over the new span: its step proposal and the controller's
    /// memory are kept (the step clipped to the new span; fixed steps start the span's grid); a row that failed stays
    /// failed and is not integrated. A new solve also starts its counters, and so its step limit, over.
    /// </summary>
    public static void Resume<T>(Index1D index, StartArgs<T> a) where T : unmanaged
    {
        int row = index;
        var s = a.State;
        if (s.Status[row] != (int)TrajectoryStatus.Success)
        {
            s.Active[row] = 0;
            return;
        }
        s.Time[row] = a.Settings.T0;
        if (a.NewSolve != 0)
        {
            s.AcceptedSteps[row] = 0;
            s.RejectedSteps[row] = 0;
            s.Evaluations[row] = 0;
        }
        s.Evaluations[row] += 1; // f(t0, y0) again: the state may have been changed since
        Begin(a, row);
        var flags = 0;
        var c = a.Settings;
        s.Step[row] = c.Adaptive == 0
            ? FixedGrid.Step(c.T0, c.T1, c.FixedStep, FixedGrid.Steps(c.T0, c.T1, c.FixedStep), 0, ref flags)
            : StepLimits.Clip(c.T0, s.Step[row], c.T1, c.MaxStep, ref flags);
        s.Flags[row] = flags;
    }

    /// <summary>Output slot <see cref="StartArgs{T}.Slot"/> of a row that reached it = its current state.</summary>
    public static void Store<T>(Index1D index, StartArgs<T> a) where T : unmanaged
    {
        int row = index;
        if (a.State.Status[row] == (int)TrajectoryStatus.Success)
            StoreRow(a, row, a.Slot);
    }

    // Output slot `slot` of a row = its current state.
    private static void StoreRow<T>(in StartArgs<T> a, int row, int slot) where T : unmanaged
    {
        var start = (long)row * a.Dimension;
        var target = BatchIndex.Output(row, a.OutputCount, slot, a.Dimension);
        for (var d = 0; d < a.Dimension; d++)
            a.Output[target + d] = a.Y[start + d];
    }

    // Recorded step `slot` of a row = its current time, and its state when the slot is a checkpoint.
    private static void RecordRow<T>(in StartArgs<T> a, int row, int slot) where T : unmanaged
    {
        a.StepTimes[(long)row * a.StepSlots + slot] = a.State.Time[row];
        if (slot % a.CheckpointEvery != 0)
            return;
        var start = (long)row * a.Dimension;
        var target = BatchIndex.Output(row, a.StateSlots, slot / a.CheckpointEvery, a.Dimension);
        for (var d = 0; d < a.Dimension; d++)
            a.Steps[target + d] = a.Y[start + d];
    }

    private static void Begin<T>(in StartArgs<T> a, int row) where T : unmanaged
    {
        var s = a.State;
        s.Status[row] = (int)TrajectoryStatus.Running;
        s.Active[row] = 1;
        s.Accepted[row] = 0;
        s.NeedsOutput[row] = 0;
        s.NextOutput[row] = 1;
        s.Flags[row] = 0;
    }
}
