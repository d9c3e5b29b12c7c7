using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Adjoint;

/// <summary>
/// Arguments of <see cref="DiscreteAdjointKernels"/>: the forward solve's record of accepted steps, the method's
/// coefficients over its extended stages (the stages, f at the step's end, any extra interpolation stages), the
/// per-row working state of the reverse sweep, and the gradients it accumulates.
/// </summary>
public struct DiscreteAdjointArgs<T> : IElementArgs<DiscreteAdjointArgs<T>> where T : unmanaged
{
    /// <summary>The state at t0 and after every <see cref="CheckpointEvery"/>-th accepted step, [rows x StateSlots x dim].</summary>
    public ArrayView<T> Steps;

    /// <summary>1 when every step's state is recorded; k when only every k-th is, the others recomputed window by window.</summary>
    public int CheckpointEvery;

    /// <summary>1 when the stage's evaluation was kept from the forward solve: StageState then counts none.</summary>
    public int Kept;

    /// <summary>State slots per row of <see cref="Steps"/>.</summary>
    public int StateSlots;

    /// <summary>With checkpoints: the states of the current window, recomputed from its checkpoint, [rows x SegmentSlots x dim].</summary>
    public ArrayView<T> Segment;

    /// <summary>With checkpoints: state slots per row of <see cref="Segment"/>, 2k - 1 (a window of k and the steps back to its checkpoint).</summary>
    public int SegmentSlots;

    /// <summary>With checkpoints: the step whose start state is slot 0 of the row's <see cref="Segment"/>.</summary>
    public ArrayView<int> SegmentStart;

    /// <summary>With checkpoints: the step of the window's recomputation a kernel works on (from slot Recompute to Recompute + 1).</summary>
    public int Recompute;

    /// <summary>The time of every accepted step, [rows x StepSlots].</summary>
    public ArrayView<double> StepTimes;

    /// <summary>Accepted steps per row.</summary>
    public ArrayView<int> StepCounts;

    /// <summary>Each row's forward status: only rows that succeeded are differentiated.</summary>
    public ArrayView<int> ForwardStatus;

    /// <summary>Recorded steps per row.</summary>
    public int StepSlots;

    /// <summary>The reverse sweep's iteration: row r works on its step StepCounts[r] - 1 - Iteration.</summary>
    public int Iteration;

    /// <summary>Stage states as combinations, [ExtendedStages x ExtendedStages]: Y_j = y_n + h sum_l M[j, l] K_l.</summary>
    public ArrayView<double> Combination;

    /// <summary>Stage nodes c_j, [ExtendedStages].</summary>
    public ArrayView<double> Nodes;

    /// <summary>The step's weights b, zero past the stages, [ExtendedStages].</summary>
    public ArrayView<double> Weights;

    /// <summary>Interpolant coefficients [ExtendedStages x Degree]: b_j(theta) = sum_p D[j, p] theta^(p+1).</summary>
    public ArrayView<double> Dense;

    /// <summary>Highest power of theta.</summary>
    public int Degree;

    /// <summary>Stages, f at the step's end and extra interpolation stages.</summary>
    public int ExtendedStages;

    /// <summary>The stage a stage kernel works on.</summary>
    public int Stage;

    /// <summary>1 where the row has a step in this iteration.</summary>
    public ArrayView<int> Active;

    /// <summary>1 where the row's step holds an output time: the interpolant's stages are then needed too.</summary>
    public ArrayView<int> Needs;

    /// <summary>t_n of the row's step, [rows].</summary>
    public ArrayView<double> StepStart;

    /// <summary>h_n of the row's step (0 where inactive), [rows].</summary>
    public ArrayView<double> StepSize;

    /// <summary>y_n, [rows x dim].</summary>
    public ArrayView<T> Y;

    /// <summary>Stage derivatives, [ExtendedStages x rows x dim].</summary>
    public ArrayView<T> K;

    /// <summary>Their adjoints, [ExtendedStages x rows x dim].</summary>
    public ArrayView<T> KBar;

    /// <summary>Stage states, [ExtendedStages x rows x dim].</summary>
    public ArrayView<T> StageStates;

    /// <summary>Stage times, [ExtendedStages x rows].</summary>
    public ArrayView<double> StageTimes;

    /// <summary>The running adjoint of the state: dL/dy_n+1 before a step's reverse sweep, dL/dy_n after it, [rows x dim].</summary>
    public ArrayView<T> YBar;

    /// <summary>The dynamics' VJP at one stage: KBar_j^T df/dy, [rows x dim].</summary>
    public ArrayView<T> StageAdjoint;

    /// <summary>The dynamics' VJP at one stage: KBar_j^T df/dtheta, [rows x parameters] (with <see cref="SumRows"/>, summed over the rows: [parameters]).</summary>
    public ArrayView<T> StageParameters;

    /// <summary>The dynamics' VJP at one stage: KBar_j^T df/dt, [rows].</summary>
    public ArrayView<T> StageTime;

    /// <summary>Accumulated dL/dtheta of each row, [rows x parameters] (with <see cref="SumRows"/>, of all rows: [parameters]).</summary>
    public ArrayView<T> ParameterGradient;

    /// <summary>Accumulated sum of KBar^T df/dt over every stage: how L moves when every step node moves with t0, [rows].</summary>
    public ArrayView<T> TimeShift;

    /// <summary>Evaluations and VJPs of the backward pass, per row.</summary>
    public ArrayView<int> Evaluations;

    /// <summary>The output times.</summary>
    public ArrayView<double> Times;

    /// <summary>Number of output times.</summary>
    public int Outputs;

    /// <summary>+1 forwards, -1 backwards.</summary>
    public double Direction;

    /// <summary>dL/dz at the output times, [rows x outputs x dim].</summary>
    public ArrayView<T> Cotangent;

    /// <summary>The highest output time not yet visited by the reverse sweep, per row.</summary>
    public ArrayView<int> NextOutput;

    /// <summary>dL/d(output time), [rows x outputs].</summary>
    public ArrayView<T> TimeGradient;

    /// <summary>dL/d(initial state), [rows x dim].</summary>
    public ArrayView<T> InitialStateGradient;

    /// <summary>The state dimension.</summary>
    public int Dimension;

    /// <summary>Parameters per row.</summary>
    public int Parameters;

    /// <summary>
    /// 1 when the parameters are shared and their gradient is summed over the rows as the VJPs are taken (rows that are
    /// not stepping have zero stage cotangents, so they add nothing); the host then zeroes it and marks it failed.
    /// </summary>
    public int SumRows;

    /// <summary>Number of rows.</summary>
    public int Rows;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly DiscreteAdjointArgs<T> From(long first) => this with { First = first };
}
