using System.Numerics;
using System.Runtime.CompilerServices;

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
}
