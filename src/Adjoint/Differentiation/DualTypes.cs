using OdeGpu.Systems;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// Picks dual types on the host, by reflection, as other code picks state types: the tangent vector for a count of
/// directions, and whether and how a system runs on duals (through <see cref="ArithmeticTypes"/>).
/// </summary>
internal static class DualTypes
{
    /// <summary>The most tangents one dual carries: the largest state vector.</summary>
    public const int MaxTangents = 32;

    /// <summary>VecN of <paramref name="scalar"/>, N = <paramref name="count"/> (1 to <see cref="MaxTangents"/>).</summary>
    public static Type Tangent(Type scalar, int count) =>
        typeof(Vec1<>).Assembly.GetType($"{typeof(Vec1<>).Namespace}.Vec{count}`1")!.MakeGenericType(scalar);

    /// <summary>Dual of <paramref name="scalar"/> with <paramref name="tangent"/>.</summary>
    public static Type Dual(Type scalar, Type tangent) => typeof(Dual<,>).MakeGenericType(scalar, tangent);

    /// <summary>
    /// Why <paramref name="system"/> over <paramref name="state"/> cannot run on <paramref name="dual"/>, or null when
    /// it can (<see cref="ArithmeticTypes.Refusal"/>).
    /// </summary>
    public static string? Refusal(Type system, Type state, Type scalar, Type dual) => ArithmeticTypes.Refusal(system, state, scalar, dual, "dual numbers");

    /// <summary>
    /// A copy of <paramref name="system"/> on <paramref name="dual"/>: each field of the scalar type becomes a constant
    /// dual, every other field is copied.
    /// </summary>
    /// <exception cref="ArgumentException">The system cannot run on duals.</exception>
    public static object Convert(object system, Type state, Type scalar, Type dual) =>
        ArithmeticTypes.Convert(system, state, scalar, dual, value => Activator.CreateInstance(dual, value)!, "dual numbers");
}
