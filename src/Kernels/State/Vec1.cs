using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;

namespace OdeGpu.State;

/// <summary>A state of one component, held in registers.</summary>
public readonly struct Vec1<T>(T x) : IStateVector<Vec1<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Component 0.</summary>
    public readonly T X = x;

    /// <inheritdoc />
    public static int Dimension => 1;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec1<T> Load(ArrayView<T> source, long offset, long stride) => new(source[offset]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec1<T> value, ArrayView<T> target, long offset, long stride)
    {
        target[offset] = value.X;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec1<T> Gather<TSource>(TSource source) where TSource : struct, IComponentSource<T> => new(source[0]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TAccumulate Fold<TAccumulate, TFold>(Vec1<T> value, TAccumulate seed, TFold fold)
        where TFold : struct, IComponentFold<T, TAccumulate>
    {
        var accumulated = fold.Add(seed, 0, value.X);
        return accumulated;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec1<T> MulAdd(Vec1<T> a, T s, Vec1<T> b) => new(a.X + s * b.X);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec1<T> Scale(T s, Vec1<T> a) => new(s * a.X);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ScaledSquares(Vec1<T> e, Vec1<T> y0, Vec1<T> y1, Vec1<T> atol, T rtol)
    {
        var x = e.X / (atol.X + rtol * T.Max(T.Abs(y0.X), T.Abs(y1.X)));
        return x * x;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(Vec1<T> value) => T.IsFinite(value.X);

    /// <inheritdoc />
    public static T Component(Vec1<T> value, int index) => index switch
    {
        0 => value.X,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "a Vec1 has components 0 to 0"),
    };

    /// <inheritdoc />
    public static Vec1<T> FromComponents(ReadOnlySpan<T> components) => components.Length == 1
        ? new(components[0])
        : throw new ArgumentException($"a Vec1 needs 1 components, but {components.Length} were given", nameof(components));
}
