using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Ensemble.Adjoint;

/// <summary>
/// The continuous adjoint's augmented state of one trajectory, [z, a, a_p, a_t], held in registers: each operation is
/// its parts' operations, so the fused kernel integrates it as it does any state, with no loop and no indexing.
/// Components are numbered as the batched mode's rows: z at 0, a at D, a_p at 2D, a_t at 2D + P.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TState">The forward state (D components).</typeparam>
/// <typeparam name="TParams">The parameters' adjoint (P components; a Vec1 that stays zero when there are none).</typeparam>
/// <param name="z">The forward state, integrated backwards.</param>
/// <param name="a">Its adjoint dL/dz.</param>
/// <param name="parameters">The parameters' adjoint dL/dp.</param>
/// <param name="time">The time adjoint.</param>
public readonly struct AdjointState<T, TState, TParams>(TState z, TState a, TParams parameters, T time) : IStateVector<AdjointState<T, TState, TParams>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where TParams : unmanaged, IStateVector<TParams, T>
{
    /// <summary>The forward state z.</summary>
    public readonly TState Z = z;

    /// <summary>The state's adjoint a.</summary>
    public readonly TState A = a;

    /// <summary>The parameters' adjoint a_p.</summary>
    public readonly TParams Parameters = parameters;

    /// <summary>The time adjoint a_t.</summary>
    public readonly T Time = time;

    /// <inheritdoc />
    public static int Dimension => 2 * TState.Dimension + TParams.Dimension + 1;

    private static int ParameterStart => 2 * TState.Dimension;

    private static int TimeIndex => 2 * TState.Dimension + TParams.Dimension;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AdjointState<T, TState, TParams> Load(ArrayView<T> source, long offset, long stride) => new(
        TState.Load(source, offset, stride),
        TState.Load(source, offset + TState.Dimension * stride, stride),
        TParams.Load(source, offset + ParameterStart * stride, stride),
        source[offset + TimeIndex * stride]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(AdjointState<T, TState, TParams> value, ArrayView<T> target, long offset, long stride)
    {
        TState.Store(value.Z, target, offset, stride);
        TState.Store(value.A, target, offset + TState.Dimension * stride, stride);
        TParams.Store(value.Parameters, target, offset + ParameterStart * stride, stride);
        target[offset + TimeIndex * stride] = value.Time;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AdjointState<T, TState, TParams> Gather<TSource>(TSource source) where TSource : struct, IComponentSource<T> => new(
        TState.Gather(source),
        TState.Gather(new ShiftedSource<T, TSource>(source, TState.Dimension)),
        TParams.Gather(new ShiftedSource<T, TSource>(source, ParameterStart)),
        source[TimeIndex]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TAccumulate Fold<TAccumulate, TFold>(AdjointState<T, TState, TParams> value, TAccumulate seed, TFold fold)
        where TFold : struct, IComponentFold<T, TAccumulate>
    {
        var accumulated = TState.Fold(value.Z, seed, fold);
        accumulated = TState.Fold(value.A, accumulated, new ShiftedFold<T, TAccumulate, TFold>(fold, TState.Dimension));
        accumulated = TParams.Fold(value.Parameters, accumulated, new ShiftedFold<T, TAccumulate, TFold>(fold, ParameterStart));
        return fold.Add(accumulated, TimeIndex, value.Time);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AdjointState<T, TState, TParams> MulAdd(AdjointState<T, TState, TParams> a, T s, AdjointState<T, TState, TParams> b) => new(
        TState.MulAdd(a.Z, s, b.Z), TState.MulAdd(a.A, s, b.A), TParams.MulAdd(a.Parameters, s, b.Parameters), a.Time + s * b.Time);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AdjointState<T, TState, TParams> Scale(T s, AdjointState<T, TState, TParams> a) =>
        new(TState.Scale(s, a.Z), TState.Scale(s, a.A), TParams.Scale(s, a.Parameters), s * a.Time);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ScaledSquares(AdjointState<T, TState, TParams> e, AdjointState<T, TState, TParams> y0, AdjointState<T, TState, TParams> y1,
        AdjointState<T, TState, TParams> atol, T rtol)
    {
        var time = e.Time / (atol.Time + rtol * T.Max(T.Abs(y0.Time), T.Abs(y1.Time)));
        return TState.ScaledSquares(e.Z, y0.Z, y1.Z, atol.Z, rtol) + TState.ScaledSquares(e.A, y0.A, y1.A, atol.A, rtol)
            + TParams.ScaledSquares(e.Parameters, y0.Parameters, y1.Parameters, atol.Parameters, rtol) + time * time;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(AdjointState<T, TState, TParams> value) =>
        TState.IsFinite(value.Z) && TState.IsFinite(value.A) && TParams.IsFinite(value.Parameters) && T.IsFinite(value.Time);

    /// <inheritdoc />
    public static T Component(AdjointState<T, TState, TParams> value, int index)
    {
        var d = TState.Dimension;
        if (index < 0 || index >= Dimension)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"an adjoint state has components 0 to {Dimension - 1}");
        return index < d ? TState.Component(value.Z, index)
            : index < ParameterStart ? TState.Component(value.A, index - d)
            : index < TimeIndex ? TParams.Component(value.Parameters, index - ParameterStart)
            : value.Time;
    }

    /// <inheritdoc />
    public static AdjointState<T, TState, TParams> FromComponents(ReadOnlySpan<T> components)
    {
        if (components.Length != Dimension)
            throw new ArgumentException($"an adjoint state needs {Dimension} components, but {components.Length} were given", nameof(components));
        var d = TState.Dimension;
        return new(TState.FromComponents(components[..d]), TState.FromComponents(components[d..ParameterStart]),
            TParams.FromComponents(components[ParameterStart..TimeIndex]), components[TimeIndex]);
    }
}
