using System.Numerics;
using ILGPU;

namespace OdeGpu.State;

/// <summary>
/// A small fixed-size state held in registers: the vector operations a Runge-Kutta step needs, written out
/// component by component so that kernels never index a state with a loop (ILGPU 1.5.3 does not unroll loops,
/// and an indexed state would spill to local memory).
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
/// <typeparam name="T">The scalar: float or double.</typeparam>
public interface IStateVector<TSelf, T>
    where TSelf : unmanaged, IStateVector<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of components.</summary>
    static abstract int Dimension { get; }

    /// <summary>Reads components i * stride + offset for i = 0..Dimension-1.</summary>
    static abstract TSelf Load(ArrayView<T> source, long offset, long stride);

    /// <summary>Writes components to i * stride + offset for i = 0..Dimension-1.</summary>
    static abstract void Store(TSelf value, ArrayView<T> target, long offset, long stride);

    /// <summary>The state whose component k is <c>source[k]</c>, each index a constant in straight-line code.</summary>
    static abstract TSelf Gather<TSource>(TSource source) where TSource : struct, IComponentSource<T>;

    /// <summary>
    /// <c>fold.Add(... fold.Add(fold.Add(seed, 0, c0), 1, c1) ..., Dimension - 1, c_last)</c>: reads every component
    /// in order without a loop, so kernels can reduce or write a state of any size without indexing it.
    /// </summary>
    static abstract TAccumulate Fold<TAccumulate, TFold>(TSelf value, TAccumulate seed, TFold fold)
        where TFold : struct, IComponentFold<T, TAccumulate>;

    /// <summary>a + s b, componentwise.</summary>
    static abstract TSelf MulAdd(TSelf a, T s, TSelf b);

    /// <summary>s a, componentwise.</summary>
    static abstract TSelf Scale(T s, TSelf a);

    /// <summary>Sum over components of (e / (atol + rtol max(|y0|, |y1|)))^2.</summary>
    static abstract T ScaledSquares(TSelf e, TSelf y0, TSelf y1, TSelf atol, T rtol);

    /// <summary>True when every component is finite.</summary>
    static abstract bool IsFinite(TSelf value);

    /// <summary>Component <paramref name="index"/> (host-side conversions; kernels use whole-vector operations).</summary>
    static abstract T Component(TSelf value, int index);

    /// <summary>A state from its components (host-side conversions).</summary>
    /// <exception cref="ArgumentException">The span does not hold <see cref="Dimension"/> values.</exception>
    static abstract TSelf FromComponents(ReadOnlySpan<T> components);
}
