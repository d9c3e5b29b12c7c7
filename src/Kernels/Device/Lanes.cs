using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace OdeGpu.Device;

/// <summary>
/// The elementary functions of <see cref="Vector{T}"/> lanes for the scalars the project computes in, float and double:
/// .NET offers them per type, and the SIMD twins of <see cref="SimdPrimitives"/> are generic. Each branch is a
/// compile-time constant for a given T, so the JIT keeps one.
/// </summary>
internal static class Lanes
{
    /// <summary>e^x in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Exp<T>(Vector<T> x) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector.Exp(x.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.Exp(x.As<T, double>()).As<double, T>();
        throw new NotSupportedException($"lanes of {typeof(T).Name}");
    }

    /// <summary>The natural logarithm in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Log<T>(Vector<T> x) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector.Log(x.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.Log(x.As<T, double>()).As<double, T>();
        throw new NotSupportedException($"lanes of {typeof(T).Name}");
    }

    /// <summary>a b + c in every lane, rounded once where the core has fused multiply-adds (emulating them elsewhere would cost more than the rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged
    {
        if (!Fma.IsSupported)
            return a * b + c;
        if (typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        return a * b + c;
    }
}
