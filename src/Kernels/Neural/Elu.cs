using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>elu(x) = x for x &gt; 0, else e^x - 1 (PyTorch's default alpha = 1).</summary>
public readonly struct Elu : IActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Value<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? x : T.Exp(x) - T.One;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? T.One : T.Exp(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SecondDerivative<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? T.Zero : T.Exp(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Values<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), x, Lanes.ExpNonPositive(Vector.Min(x, Vector<T>.Zero)) - Vector<T>.One);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Derivatives<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One, Lanes.ExpNonPositive(Vector.Min(x, Vector<T>.Zero)));
}
