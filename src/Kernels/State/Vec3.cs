using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;

namespace OdeGpu.State;

/// <summary>A state of three components, held in registers.</summary>
public readonly struct Vec3<T>(T x, T y, T z) : IStateVector<Vec3<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Component 0.</summary>
    public readonly T X = x;

    /// <summary>Component 1.</summary>
    public readonly T Y = y;

    /// <summary>Component 2.</summary>
    public readonly T Z = z;

    /// <inheritdoc />
    public static int Dimension => 3;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> Load(ArrayView<T> source, long offset, long stride) => new(source[offset], source[offset + 1 * stride], source[offset + 2 * stride]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec3<T> value, ArrayView<T> target, long offset, long stride)
    {
        target[offset] = value.X;
        target[offset + 1 * stride] = value.Y;
        target[offset + 2 * stride] = value.Z;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> Gather<TSource>(TSource source) where TSource : struct, IComponentSource<T> => new(source[0], source[1], source[2]);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TAccumulate Fold<TAccumulate, TFold>(Vec3<T> value, TAccumulate seed, TFold fold)
        where TFold : struct, IComponentFold<T, TAccumulate>
    {
        var accumulated = fold.Add(seed, 0, value.X);
        accumulated = fold.Add(accumulated, 1, value.Y);
        accumulated = fold.Add(accumulated, 2, value.Z);
        return accumulated;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> MulAdd(Vec3<T> a, T s, Vec3<T> b) => new(a.X + s * b.X, a.Y + s * b.Y, a.Z + s * b.Z);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> Scale(T s, Vec3<T> a) => new(s * a.X, s * a.Y, s * a.Z);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ScaledSquares(Vec3<T> e, Vec3<T> y0, Vec3<T> y1, Vec3<T> atol, T rtol)
    {
        var x = e.X / (atol.X + rtol * T.Max(T.Abs(y0.X), T.Abs(y1.X)));
        var y = e.Y / (atol.Y + rtol * T.Max(T.Abs(y0.Y), T.Abs(y1.Y)));
        var z = e.Z / (atol.Z + rtol * T.Max(T.Abs(y0.Z), T.Abs(y1.Z)));
        return x * x + y * y + z * z;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(Vec3<T> value) => T.IsFinite(value.X) && T.IsFinite(value.Y) && T.IsFinite(value.Z);

    /// <inheritdoc />
    public static T Component(Vec3<T> value, int index) => index switch
    {
        0 => value.X,
        1 => value.Y,
        2 => value.Z,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "a Vec3 has components 0 to 2"),
    };

    /// <inheritdoc />
    public static Vec3<T> FromComponents(ReadOnlySpan<T> components) => components.Length == 3
        ? new(components[0], components[1], components[2])
        : throw new ArgumentException($"a Vec3 needs 3 components, but {components.Length} were given", nameof(components));
}
