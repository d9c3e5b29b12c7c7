using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>
/// tanh(x) = sign(x) (1 - e^(-2|x|)) / (1 + e^(-2|x|)): the exponent is never positive, so it cannot overflow (ILGPU's
/// double tanh, (e^2x - 1)/(e^2x + 1), is NaN beyond about 354).
/// </summary>
public readonly struct Tanh : IActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Value<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var e = T.Exp(-(T.Abs(x) + T.Abs(x)));
        var magnitude = (T.One - e) / (T.One + e);
        return x < T.Zero ? -magnitude : magnitude;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var t = Value(x);
        return T.One - t * t;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SecondDerivative<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var t = Value(x);
        return -(t + t) * (T.One - t * t);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Values<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = Lanes.ExpNonPositive(-(Vector.Abs(x) + Vector.Abs(x)));
        var magnitude = (Vector<T>.One - e) / (Vector<T>.One + e);
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<T>.Zero), -magnitude, magnitude);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Derivatives<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var t = Values(x);
        return Vector<T>.One - t * t;
    }
}
