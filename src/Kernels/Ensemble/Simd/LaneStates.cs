using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using OdeGpu.Device;
using OdeGpu.Simd;
using OdeGpu.State;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// A state over lanes (a state vector of <see cref="Packed{T}"/>) seen as its components, one vector of T each: loads
/// from and stores to the component-major buffers of the fused kernel, blends by mask, finiteness per lane, and one
/// lane's scalar state. The lane path runs only for state types laid out as their components
/// (<see cref="IsComponentLayout{T, TState, TLane}"/>), as the built-in VecN are.
/// </summary>
internal static class LaneStates
{
    /// <summary>
    /// Whether <typeparamref name="TState"/> is its Dimension scalars in order and <typeparamref name="TLane"/> its
    /// Dimension vectors, so that a lane's state can be read out of a packed one.
    /// </summary>
    public static bool IsComponentLayout<T, TState, TLane>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TLane : unmanaged, IStateVector<TLane, Packed<T>> =>
        TLane.Dimension == TState.Dimension && Unsafe.SizeOf<TState>() == TState.Dimension * Unsafe.SizeOf<T>()
        && Unsafe.SizeOf<TLane>() == TState.Dimension * Unsafe.SizeOf<Vector<T>>() && ComponentsInOrder<T, TState>();

    /// <summary>Component d of lane j is <c>view[offset + d * stride + trajectories[j]]</c>.</summary>
    public static TLane Load<T, TLane>(ArrayView<T> view, long offset, long stride, ReadOnlySpan<int> trajectories)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IStateVector<TLane, Packed<T>>
    {
        var value = default(TLane);
        var parts = Parts<T, TLane>(ref value);
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        for (var d = 0; d < parts.Length; d++)
        {
            for (var j = 0; j < lanes.Length; j++)
                lanes[j] = HostViewAccess.At(view, offset + d * stride + trajectories[j]);
            parts[d] = new Vector<T>(lanes);
        }
        return value;
    }

    /// <summary>Writes the lanes whose bit is set in <paramref name="lanes"/> where <see cref="Load{T, TLane}"/> reads them.</summary>
    public static void Store<T, TLane>(in TLane value, ArrayView<T> view, long offset, long stride, ReadOnlySpan<int> trajectories, int lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IStateVector<TLane, Packed<T>>
    {
        for (var j = 0; j < Vector<T>.Count; j++)
            if ((lanes >> j & 1) != 0)
                StoreLane<T, TLane>(value, j, view, offset + trajectories[j], stride);
    }

    /// <summary><paramref name="ifTrue"/>'s lanes where <paramref name="mask"/> is set, else <paramref name="ifFalse"/>'s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Select<T, TLane>(Vector<T> mask, TLane ifTrue, TLane ifFalse)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IStateVector<TLane, Packed<T>>
    {
        var result = ifFalse;
        var to = Parts<T, TLane>(ref result);
        var from = Parts<T, TLane>(ref ifTrue);
        for (var d = 0; d < to.Length; d++)
            to[d] = DoubleLanes.Blend(mask, from[d], to[d]);
        return result;
    }

    /// <summary>
    /// The mask of the lanes in which every component is finite: the sum over components of x - x, which is 0 where all
    /// are finite and NaN where one is not (infinity - infinity), compared once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Finite<T, TLane>(in TLane value)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IStateVector<TLane, Packed<T>> =>
        Zero(TLane.Fold(value, Vector<T>.Zero, default(DifferenceFold<T>)));

    /// <summary>Whether every component of every lane is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite<T, TLane>(in TLane value)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IStateVector<TLane, Packed<T>> =>
        Vector.EqualsAll(Finite<T, TLane>(value).As<T, int>(), Vector<int>.AllBitsSet);

    /// <summary>
    /// Writes lane <paramref name="lane"/> of a packed state where <see cref="IStateVector{TSelf, T}.Store"/> writes a
    /// scalar state: component d at <c>view[offset + d * stride]</c>.
    /// </summary>
    public static void StoreLane<T, TLane>(in TLane value, int lane, ArrayView<T> view, long offset, long stride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IStateVector<TLane, Packed<T>>
    {
        var parts = Parts<T, TLane>(ref Unsafe.AsRef(in value));
        for (var d = 0; d < parts.Length; d++)
            HostViewAccess.At(view, offset + d * stride) = parts[d][lane];
    }

    private static Span<Vector<T>> Parts<T, TLane>(ref TLane value) where T : unmanaged where TLane : unmanaged =>
        MemoryMarshal.Cast<TLane, Vector<T>>(MemoryMarshal.CreateSpan(ref value, 1));

    // The sum of x - x so far, and over one more component: a fold keeps the state in registers, where a view of its
    // components would put it in memory on the step's critical path.
    private readonly struct DifferenceFold<T> : IComponentFold<Packed<T>, Vector<T>> where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<T> Add(Vector<T> accumulated, int k, Packed<T> component) => accumulated + (component.Lanes - component.Lanes);
    }

    // All ones where x == 0, as a mask over T.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Zero<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector.Equals(x.As<T, float>(), Vector<float>.Zero).As<int, T>()
        : Vector.Equals(x.As<T, double>(), Vector<double>.Zero).As<long, T>();

    // Component d of a state built by FromComponents from (0, 1, 2, ...) is d at offset d.
    private static bool ComponentsInOrder<T, TState>() where T : unmanaged, IFloatingPointIeee754<T> where TState : unmanaged, IStateVector<TState, T>
    {
        var values = new T[TState.Dimension];
        for (var d = 0; d < values.Length; d++)
            values[d] = T.CreateTruncating(d);
        var state = TState.FromComponents(values);
        return MemoryMarshal.Cast<TState, T>(MemoryMarshal.CreateSpan(ref state, 1)).SequenceEqual(values);
    }
}
