using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;

namespace OdeGpu.State;

/// <summary>A state of two components, held in registers.</summary>
public readonly struct Vec2<T>(T x, T y) : IStateVector<Vec2<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Component 0.</summary>
    public readonly T X = x;

    /// <summary>Component 1.</summary>
    public readonly T Y = y;

    /// <inheritdoc />
    public static int Dimension => 2;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec2<T> Load(ArrayView<T> source, long offset, long stride) => new(source[offset], source[offset + 1 * stride]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec2<T> value, ArrayView<T> target, long offset, long stride)
    {
        target[offset] = value.X;
        target[offset + 1 * stride] = value.Y;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec2<T> Gather<TSource>(TSource source) where TSource : struct, IComponentSource<T> => new(source[0], source[1]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TAccumulate Fold<TAccumulate, TFold>(Vec2<T> value, TAccumulate seed, TFold fold)
        where TFold : struct, IComponentFold<T, TAccumulate>
    {
        var accumulated = fold.Add(seed, 0, value.X);
        accumulated = fold.Add(accumulated, 1, value.Y);
        return accumulated;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec2<T> MulAdd(Vec2<T> a, T s, Vec2<T> b) => new(a.X + s * b.X, a.Y + s * b.Y);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec2<T> Scale(T s, Vec2<T> a) => new(s * a.X, s * a.Y);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ScaledSquares(Vec2<T> e, Vec2<T> y0, Vec2<T> y1, Vec2<T> atol, T rtol)
    {
        var x = e.X / (atol.X + rtol * T.Max(T.Abs(y0.X), T.Abs(y1.X)));
        var y = e.Y / (atol.Y + rtol * T.Max(T.Abs(y0.Y), T.Abs(y1.Y)));
        return x * x + y * y;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(Vec2<T> value) => T.IsFinite(value.X) && T.IsFinite(value.Y);

    /// <inheritdoc />
    public static T Component(Vec2<T> value, int index) => index switch
    {
        0 => value.X,
        1 => value.Y,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "a Vec2 has components 0 to 1"),
    };

    /// <inheritdoc />
    public static Vec2<T> FromComponents(ReadOnlySpan<T> components) => components.Length == 2
        ? new(components[0], components[1])
        : throw new ArgumentException($"a Vec2 needs 2 components, but {components.Length} were given", nameof(components));
}
