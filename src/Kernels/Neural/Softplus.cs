using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>softplus(x) = log(1 + e^x) = max(x, 0) + log(1 + e^(-|x|)), PyTorch's default (beta 1); its derivative is the sigmoid.</summary>
public readonly struct Softplus : IActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Value<T>(T x) where T : IFloatingPointIeee754<T> =>
        T.Max(x, T.Zero) + T.Log(T.One + T.Exp(-T.Abs(x)));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative<T>(T x) where T : IFloatingPointIeee754<T> => Sigmoid.Value(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SecondDerivative<T>(T x) where T : IFloatingPointIeee754<T> => Sigmoid.Derivative(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Values<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.Max(x, Vector<T>.Zero) + Lanes.LogOnePlus(Lanes.ExpNonPositive(-Vector.Abs(x)));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Derivatives<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Sigmoid.Values(x);
}
