using ILGPU;

namespace OdeGpu.Ensemble;

/// <summary>One chunk's record of accepted steps, on the device, in the fused kernel's [slot][component][trajectory] layout.</summary>
/// <param name="First">The chunk's first trajectory in the ensemble.</param>
/// <param name="Count">Trajectories in the chunk (the stride of every view).</param>
/// <param name="Steps">The state at t0 and after each accepted step, [slot][dim][Count].</param>
/// <param name="StepTimes">Their times, [slot][Count].</param>
/// <param name="AcceptedSteps">Accepted steps per trajectory.</param>
/// <param name="Status">Each trajectory's <see cref="TrajectoryStatus"/>.</param>
/// <param name="Parameters">Parameters, [parameter][Count].</param>
/// <param name="Outputs">The states at the output times, [time][dim][Count].</param>
internal readonly record struct EnsembleRecord<T>(int First, int Count, ArrayView<T> Steps, ArrayView<double> StepTimes,
    ArrayView<int> AcceptedSteps, ArrayView<int> Status, ArrayView<T> Parameters, ArrayView<T> Outputs) where T : unmanaged;
