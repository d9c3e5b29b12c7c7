using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Simd;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// The parameters of a group of trajectories, one lane each, from the component-major store of the fused kernel:
/// parameter k of lane j is <c>view[k * stride + trajectory j]</c>.
/// </summary>
/// <param name="view">Every trajectory's parameters, [parameter][trajectory].</param>
/// <param name="trajectories">The trajectory of each lane (the first <see cref="Vector{T}.Count"/> of T entries count).</param>
/// <param name="stride">The distance between a trajectory's consecutive parameters.</param>
internal readonly struct LaneParameters<T>(ArrayView<T> view, Vector<int> trajectories, long stride) : IParameters<Packed<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ArrayView<T> _view = view;
    private readonly Vector<int> _trajectories = trajectories;
    private readonly long _stride = stride;

    /// <inheritdoc />
    public Packed<T> this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            Span<T> lanes = stackalloc T[Vector<T>.Count];
            for (var j = 0; j < lanes.Length; j++)
                lanes[j] = HostViewAccess.At(_view, k * _stride + _trajectories[j]);
            return new(new Vector<T>(lanes));
        }
    }
}
