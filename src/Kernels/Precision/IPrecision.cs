using System.Numerics;

namespace OdeGpu.Precision;

/// <summary>
/// Conversions between a state scalar <typeparamref name="T"/> and double that kernels can call.
/// The BCL's generic conversions (<c>T.CreateTruncating</c>) box and branch on types, which ILGPU refuses,
/// so each precision is a small struct that ILGPU specializes into the kernel.
/// </summary>
/// <typeparam name="T">The state scalar: float or double.</typeparam>
public interface IPrecision<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rounds a double to <typeparamref name="T"/>.</summary>
    static abstract T FromDouble(double value);

    /// <summary>Widens a <typeparamref name="T"/> to double.</summary>
    static abstract double ToDouble(T value);
}
