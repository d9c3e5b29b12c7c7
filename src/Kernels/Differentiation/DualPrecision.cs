using System.Numerics;
using OdeGpu.Precision;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// Conversions between duals and double that kernels can call: a double becomes a constant (zero tangents) through
/// <typeparamref name="TPrecision"/>, and a dual becomes its value as a double.
/// </summary>
/// <typeparam name="T">The dual's scalar.</typeparam>
/// <typeparam name="TPrecision">The scalar's own conversions.</typeparam>
/// <typeparam name="TTangent">The dual's tangents.</typeparam>
public readonly struct DualPrecision<T, TPrecision, TTangent> : IPrecision<Dual<T, TTangent>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TPrecision : struct, IPrecision<T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
{
    /// <inheritdoc />
    public static Dual<T, TTangent> FromDouble(double value) => new(TPrecision.FromDouble(value));

    /// <inheritdoc />
    public static double ToDouble(Dual<T, TTangent> value) => TPrecision.ToDouble(value.Value);
}
