using System.Numerics;
using System.Runtime.CompilerServices;

namespace OdeGpu.Neural;

/// <summary>swish(x) = x sigma(x) (PyTorch's SiLU).</summary>
public readonly struct Swish : IActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Value<T>(T x) where T : IFloatingPointIeee754<T> => x * Sigmoid.Value(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var s = Sigmoid.Value(x);
        return s + x * s * (T.One - s);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SecondDerivative<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var s = Sigmoid.Value(x);
        return s * (T.One - s) * (T.One + T.One + x * (T.One - s - s));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Values<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T> => x * Sigmoid.Values(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Derivatives<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = Sigmoid.Values(x);
        return s + x * s * (Vector<T>.One - s);
    }
}
