using ILGPU;

namespace OdeGpu.Ensemble.Adjoint;

/// <summary>
/// Arguments of <see cref="DiscreteSweepKernels"/>: one chunk's step record from the fused forward solve, the loss's
/// cotangents at the output times, and the gradients each thread writes. Views are [component][trajectory] like the
/// fused kernel's, so neighbouring threads touch neighbouring addresses.
/// </summary>
/// <typeparam name="T">The state scalar.</typeparam>
/// <typeparam name="TSystem">The forward system.</typeparam>
/// <typeparam name="TAdjoint">Its adjoint dynamics, whose Evaluate gives the stage VJPs.</typeparam>
public struct DiscreteSweepArgs<T, TSystem, TAdjoint> where T : unmanaged where TSystem : struct where TAdjoint : struct
{
    /// <summary>The forward system.</summary>
    public TSystem System;

    /// <summary>Its adjoint dynamics.</summary>
    public TAdjoint Adjoint;

    /// <summary>Trajectories in the chunk: the stride of every view.</summary>
    public int Count;

    /// <summary>The state at t0 and after each accepted step, [slot][dim][Count].</summary>
    public ArrayView<T> Steps;

    /// <summary>Their times, [slot][Count].</summary>
    public ArrayView<double> StepTimes;

    /// <summary>Accepted steps per trajectory.</summary>
    public ArrayView<int> AcceptedSteps;

    /// <summary>Each trajectory's forward status: only those that succeeded are swept.</summary>
    public ArrayView<int> Status;

    /// <summary>Parameters, [parameter][Count].</summary>
    public ArrayView<T> Parameters;

    /// <summary>Parameters per trajectory; 0 when the system's own fields hold them.</summary>
    public int ParameterCount;

    /// <summary>The output times, shared by every trajectory: each is the end of an accepted step.</summary>
    public ArrayView<double> Times;

    /// <summary>Number of output times.</summary>
    public int OutputCount;

    /// <summary>dL/dz at the output times, [time][dim][Count].</summary>
    public ArrayView<T> Cotangents;

    /// <summary>dL/d(initial state), [dim][Count].</summary>
    public ArrayView<T> StateGradient;

    /// <summary>dL/dp, [parameter adjoint][Count] (one zero row when there are no parameters).</summary>
    public ArrayView<T> ParameterGradient;

    /// <summary>Sum over every stage of KBar . df/dt: how L moves when every step node moves together, [Count].</summary>
    public ArrayView<T> TimeShift;

    /// <summary>Evaluations and VJPs of the sweep, per trajectory.</summary>
    public ArrayView<int> Evaluations;
}
