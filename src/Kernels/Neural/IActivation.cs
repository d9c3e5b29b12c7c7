using System.Numerics;

namespace OdeGpu.Neural;

/// <summary>
/// An elementwise activation as device code: its value and its derivative, generic over the arithmetic type so that the
/// same struct runs in float, in double and on dual numbers (whose tangents then give higher derivatives). Every
/// implementation is stable for all finite arguments: no overflow to NaN where the exact value is finite.
/// </summary>
public interface IActivation
{
    /// <summary>sigma(x).</summary>
    static abstract T Value<T>(T x) where T : IFloatingPointIeee754<T>;

    /// <summary>sigma'(x).</summary>
    static abstract T Derivative<T>(T x) where T : IFloatingPointIeee754<T>;

    /// <summary>sigma''(x): what the gradients of a flow's trace need (the Jacobian's own derivative).</summary>
    static abstract T SecondDerivative<T>(T x) where T : IFloatingPointIeee754<T>;

    /// <summary>sigma in every lane, by the same formula as <see cref="Value{T}(T)"/>: the SIMD twins' form.</summary>
    static abstract Vector<T> Values<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>sigma' in every lane, by the same formula as <see cref="Derivative{T}(T)"/>.</summary>
    static abstract Vector<T> Derivatives<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>;
}
