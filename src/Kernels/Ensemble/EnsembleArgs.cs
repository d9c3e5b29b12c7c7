using ILGPU;
using OdeGpu.Batched;

namespace OdeGpu.Ensemble;

/// <summary>
/// Arguments of the fused ensemble kernels. States and outputs are stored component-major ([component][trajectory])
/// so that neighbouring threads touch neighbouring addresses.
/// </summary>
public struct EnsembleArgs<T, TSystem, TAction> where T : unmanaged where TSystem : struct where TAction : struct
{
    /// <summary>The right-hand side, specialized into the kernel.</summary>
    public TSystem System;

    /// <summary>What each trajectory does at its output times (<see cref="NoOutputAction{T, TState}"/> for nothing).</summary>
    public TAction Action;

    /// <summary>Thread k integrates trajectory Order[k]: the host compacts this list between slices.</summary>
    public ArrayView<int> Order;

    /// <summary>Trajectories in this launch's buffers (the stride of the component-major views).</summary>
    public int Count;

    /// <summary>Current states, [dim][Count].</summary>
    public ArrayView<T> Y;

    /// <summary>f(t, y) at the current states, carried between slices, [dim][Count].</summary>
    public ArrayView<T> K1;

    /// <summary>Parameters, [ParameterCount][Count].</summary>
    public ArrayView<T> Parameters;

    /// <summary>Parameters per trajectory; 0 when none were given and the system's own fields hold them.</summary>
    public int ParameterCount;

    /// <summary>Per trajectory: current time.</summary>
    public ArrayView<double> Time;

    /// <summary>Per trajectory: the signed next step.</summary>
    public ArrayView<double> Step;

    /// <summary>Per trajectory: the last accepted error norm.</summary>
    public ArrayView<double> PrevError;

    /// <summary>Per trajectory: the final time.</summary>
    public ArrayView<double> End;

    /// <summary>Per trajectory: a <see cref="TrajectoryStatus"/>.</summary>
    public ArrayView<int> Status;

    /// <summary>Per trajectory: <see cref="StepFlags"/>.</summary>
    public ArrayView<int> Flags;

    /// <summary>Per trajectory: accepted steps.</summary>
    public ArrayView<int> AcceptedSteps;

    /// <summary>Per trajectory: rejected steps.</summary>
    public ArrayView<int> RejectedSteps;

    /// <summary>Per trajectory: right-hand-side evaluations.</summary>
    public ArrayView<int> Evaluations;

    /// <summary>Per trajectory: the next output index.</summary>
    public ArrayView<int> NextOutput;

    /// <summary>Output times: entry j of trajectory i is Times[j * TimeRowStride + i * TimeTrajectoryStride].</summary>
    public ArrayView<double> Times;

    /// <summary>Stride between output indices in <see cref="Times"/>.</summary>
    public long TimeRowStride;

    /// <summary>Stride between trajectories in <see cref="Times"/> (0 when all share one list).</summary>
    public long TimeTrajectoryStride;

    /// <summary>Number of output times.</summary>
    public int OutputCount;

    /// <summary>Outputs, [time][dim][Count].</summary>
    public ArrayView<T> Output;

    /// <summary>1 to record t0 and every accepted step in <see cref="Steps"/> and <see cref="StepTimes"/>.</summary>
    public int SaveSteps;

    /// <summary>
    /// With <see cref="SaveSteps"/>: the state at t0 and after each accepted step, [slot][dim][Count]. It is
    /// <see cref="Output"/> itself when the steps are what the solve saves, and a record of its own beside the outputs
    /// when the discrete adjoint replays them.
    /// </summary>
    public ArrayView<T> Steps;

    /// <summary>With <see cref="SaveSteps"/>: the time of each saved step, [accepted step][Count].</summary>
    public ArrayView<double> StepTimes;

    /// <summary>Absolute tolerance per component.</summary>
    public ArrayView<T> Atol;

    /// <summary>Relative tolerance.</summary>
    public double Rtol;

    /// <summary>Step-size control constants (T0, T1 and Direction are per trajectory here and unused).</summary>
    public ControlSettings Settings;

    /// <summary>The first step when given (or the fixed step); 0 to estimate it.</summary>
    public double InitialStep;

    /// <summary>Most attempts each trajectory makes in one launch.</summary>
    public int SliceSteps;

    /// <summary>
    /// Per trajectory, written at the end of each launch: 1 while it is still running, else 0. The host sums it after
    /// each slice (a reduction, not one same-address atomic per thread, which serializes on GPUs).
    /// </summary>
    public ArrayView<long> Running;

    /// <summary>Per trajectory, written with <see cref="Running"/>: the share of its span covered, in thousandths (0 once it has ended).</summary>
    public ArrayView<long> Progress;
}
