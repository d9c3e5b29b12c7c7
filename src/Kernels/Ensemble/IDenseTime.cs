using System.Numerics;

namespace OdeGpu.Ensemble;

/// <summary>
/// The arithmetic of an interpolant's weights, h theta p(theta): the fraction theta of the step and the step h in
/// double, then the weight rounded once to the state's scalar. The fused kernel's values hold one trajectory's
/// (<see cref="DenseTime{T, TP}"/>); a value over SIMD lanes holds one per lane, so the same generated interpolant
/// gives a group of trajectories their outputs at their own times.
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
/// <typeparam name="T">The state's scalar.</typeparam>
public interface IDenseTime<TSelf, T> : IAdditionOperators<TSelf, TSelf, TSelf>, IMultiplyOperators<TSelf, TSelf, TSelf>
    where TSelf : struct, IDenseTime<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A constant of the interpolant.</summary>
    static abstract TSelf Of(double value);

    /// <summary>The value rounded to the state's scalar.</summary>
    T State { get; }
}
