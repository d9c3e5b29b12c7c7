using System.Numerics;

namespace OdeGpu.Ensemble;

/// <summary>
/// The time and size of one attempted step in the state's arithmetic: what a stepper hands its system. The fused
/// kernel's clock holds one trajectory's t and h (<see cref="StepClock{T, TP}"/>); a clock over SIMD lanes holds one
/// per lane, so the same generated stepper advances a group of trajectories with their own steps.
/// </summary>
/// <typeparam name="T">The state's scalar.</typeparam>
public interface IStepClock<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>h, the signed step size.</summary>
    T Step { get; }

    /// <summary>t + <paramref name="c"/> h, computed in double and rounded once: the time of a stage at node c.</summary>
    T At(double c);
}
