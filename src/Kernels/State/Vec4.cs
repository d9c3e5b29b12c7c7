using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;

namespace OdeGpu.State;

/// <summary>A state of four components, held in registers.</summary>
public readonly struct Vec4<T>(T x, T y, T z, T w) : IStateVector<Vec4<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Component 0.</summary>
    public readonly T X = x;

    /// <summary>Component 1.</summary>
    public readonly T Y = y;

    /// <summary>Component 2.</summary>
    public readonly T Z = z;

    /// <summary>Component 3.</summary>
    public readonly T W = w;

    /// <inheritdoc />
    public static int Dimension => 4;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec4<T> Load(ArrayView<T> source, long offset, long stride) => new(source[offset], source[offset + 1 * stride], source[offset + 2 * stride], source[offset + 3 * stride]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec4<T> value, ArrayView<T> target, long offset, long stride)
    {
        target[offset] = value.X;
        target[offset + 1 * stride] = value.Y;
        target[offset + 2 * stride] = value.Z;
        target[offset + 3 * stride] = value.W;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec4<T> Gather<TSource>(TSource source) where TSource : struct, IComponentSource<T> => new(source[0], source[1], source[2], source[3]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TAccumulate Fold<TAccumulate, TFold>(Vec4<T> value, TAccumulate seed, TFold fold)
        where TFold : struct, IComponentFold<T, TAccumulate>
    {
        var accumulated = fold.Add(seed, 0, value.X);
        accumulated = fold.Add(accumulated, 1, value.Y);
        accumulated = fold.Add(accumulated, 2, value.Z);
        accumulated = fold.Add(accumulated, 3, value.W);
        return accumulated;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec4<T> MulAdd(Vec4<T> a, T s, Vec4<T> b) => new(a.X + s * b.X, a.Y + s * b.Y, a.Z + s * b.Z, a.W + s * b.W);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec4<T> Scale(T s, Vec4<T> a) => new(s * a.X, s * a.Y, s * a.Z, s * a.W);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ScaledSquares(Vec4<T> e, Vec4<T> y0, Vec4<T> y1, Vec4<T> atol, T rtol)
    {
        var x = e.X / (atol.X + rtol * T.Max(T.Abs(y0.X), T.Abs(y1.X)));
        var y = e.Y / (atol.Y + rtol * T.Max(T.Abs(y0.Y), T.Abs(y1.Y)));
        var z = e.Z / (atol.Z + rtol * T.Max(T.Abs(y0.Z), T.Abs(y1.Z)));
        var w = e.W / (atol.W + rtol * T.Max(T.Abs(y0.W), T.Abs(y1.W)));
        return x * x + y * y + z * z + w * w;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(Vec4<T> value) => T.IsFinite(value.X) && T.IsFinite(value.Y) && T.IsFinite(value.Z) && T.IsFinite(value.W);

    /// <inheritdoc />
    public static T Component(Vec4<T> value, int index) => index switch
    {
        0 => value.X,
        1 => value.Y,
        2 => value.Z,
        3 => value.W,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "a Vec4 has components 0 to 3"),
    };

    /// <inheritdoc />
    public static Vec4<T> FromComponents(ReadOnlySpan<T> components) => components.Length == 4
        ? new(components[0], components[1], components[2], components[3])
        : throw new ArgumentException($"a Vec4 needs 4 components, but {components.Length} were given", nameof(components));
}
