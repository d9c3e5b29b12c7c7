using System.Numerics;

namespace OdeGpu.Precision;

/// <summary>Maps a state scalar type to its <see cref="IPrecision{T}"/> struct and its command-line name.</summary>
public static class PrecisionOf
{
    /// <summary>The precision struct for <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException">T is neither float nor double.</exception>
    public static Type Struct<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? typeof(Float32)
        : typeof(T) == typeof(double) ? typeof(Float64)
        : throw new NotSupportedException($"state type {typeof(T).Name} is not supported: use float or double");

    /// <summary>"float32" or "float64".</summary>
    public static string Name<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? "float32" : "float64";
}
