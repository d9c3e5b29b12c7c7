using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>sigma(x) = 1 / (1 + e^-x), through e^(-|x|) so that neither side overflows.</summary>
public readonly struct Sigmoid : IActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Value<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var e = T.Exp(-T.Abs(x));
        return x >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var s = Value(x);
        return s * (T.One - s);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SecondDerivative<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var s = Value(x);
        return s * (T.One - s) * (T.One - s - s);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Values<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = Lanes.ExpNonPositive(-Vector.Abs(x));
        return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<T>.Zero), Vector<T>.One, e) / (Vector<T>.One + e);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Derivatives<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = Values(x);
        return s * (Vector<T>.One - s);
    }
}
