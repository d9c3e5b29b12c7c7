using System.Numerics;
using OdeGpu.State;

namespace OdeGpu.Ensemble.Simd;

/// <summary>Arguments of <see cref="LaneKernels.Advance"/>: the fused kernel's, the system on lanes, and how many trajectories run.</summary>
/// <typeparam name="T">The state's scalar.</typeparam>
/// <typeparam name="TState">The scalar state.</typeparam>
/// <typeparam name="TSystem">The system.</typeparam>
/// <typeparam name="TLaneSystem">The same system on <see cref="OdeGpu.Simd.Packed{T}"/>.</typeparam>
public struct LaneArgs<T, TState, TSystem, TLaneSystem>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TSystem : struct
    where TLaneSystem : struct
{
    /// <summary>The buffers and settings the fused kernel reads and writes.</summary>
    public EnsembleArgs<T, TSystem, NoOutputAction<T, TState>> Ensemble;

    /// <summary>The system with its fields in every lane; each group loads its lanes' parameters into a copy.</summary>
    public TLaneSystem System;

    /// <summary>The first entries of <see cref="EnsembleArgs{T, TSystem, TAction}.Order"/> that run in this launch.</summary>
    public int Launched;
}
