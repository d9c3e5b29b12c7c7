using System.Numerics;
using System.Runtime.CompilerServices;

namespace OdeGpu.Neural;

/// <summary>relu(x) = max(x, 0); its derivative at 0 is 0, as PyTorch's.</summary>
public readonly struct Relu : IActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Value<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? x : T.Zero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? T.One : T.Zero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SecondDerivative<T>(T x) where T : IFloatingPointIeee754<T> => T.Zero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Values<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), x, Vector<T>.Zero);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Derivatives<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
}
