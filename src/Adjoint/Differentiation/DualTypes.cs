using System.Reflection;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// Picks dual types on the host, by reflection, as other code picks state types: the tangent vector for a count of
/// directions, and a system or state type with its arithmetic type replaced by a dual.
/// </summary>
internal static class DualTypes
{
    /// <summary>The most tangents one dual carries: the largest state vector.</summary>
    public const int MaxTangents = 32;

    private const BindingFlags Fields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>VecN of <paramref name="scalar"/>, N = <paramref name="count"/> (1 to <see cref="MaxTangents"/>).</summary>
    public static Type Tangent(Type scalar, int count) =>
        typeof(Vec1<>).Assembly.GetType($"{typeof(Vec1<>).Namespace}.Vec{count}`1")!.MakeGenericType(scalar);

    /// <summary>Dual of <paramref name="scalar"/> with <paramref name="tangent"/>.</summary>
    public static Type Dual(Type scalar, Type tangent) => typeof(Dual<,>).MakeGenericType(scalar, tangent);

    /// <summary><paramref name="type"/> with every occurrence of <paramref name="scalar"/> among its type arguments replaced by <paramref name="dual"/>.</summary>
    public static Type Replace(Type type, Type scalar, Type dual) =>
        type == scalar ? dual
        : type.IsGenericType ? type.GetGenericTypeDefinition().MakeGenericType(type.GetGenericArguments().Select(a => Replace(a, scalar, dual)).ToArray())
        : type;

    /// <summary>
    /// A copy of <paramref name="system"/> as <paramref name="dualSystem"/>: each field of the scalar type becomes a
    /// constant dual, every other field is copied.
    /// </summary>
    /// <exception cref="ArgumentException">A field's type changed in a way other than scalar to dual.</exception>
    public static object Convert(object system, Type dualSystem, Type scalar, Type dual)
    {
        var converted = Activator.CreateInstance(dualSystem)!;
        foreach (var field in system.GetType().GetFields(Fields))
        {
            var target = dualSystem.GetField(field.Name, Fields)!;
            var value = field.GetValue(system);
            if (field.FieldType == scalar && target.FieldType == dual)
                value = Activator.CreateInstance(dual, value);
            else if (field.FieldType != target.FieldType)
                throw new ArgumentException(
                    $"{system.GetType().Name}.{field.Name} is a {field.FieldType.Name}, which cannot be carried to duals: only fields of the arithmetic type and fields that do not depend on it can",
                    nameof(system));
            target.SetValue(converted, value);
        }
        return converted;
    }
}
