using System.Reflection;

namespace OdeGpu.Systems;

/// <summary>
/// Runs a system written against generic math on another arithmetic type (dual numbers, SIMD lanes): its type, and
/// its state's, with the scalar replaced among their type arguments, and a copy of a system value whose scalar fields
/// become constants of the new type. Host-side reflection, done once per solver.
/// </summary>
public static class ArithmeticTypes
{
    private const BindingFlags Fields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary><paramref name="type"/> with every occurrence of <paramref name="scalar"/> among its type arguments replaced by <paramref name="replacement"/>.</summary>
    public static Type Replace(Type type, Type scalar, Type replacement) =>
        type == scalar ? replacement
        : type.IsGenericType ? type.GetGenericTypeDefinition().MakeGenericType([.. type.GetGenericArguments().Select(a => Replace(a, scalar, replacement))])
        : type;

    /// <summary>
    /// Why <paramref name="system"/> cannot run on <paramref name="replacement"/> through <see cref="Convert"/>, or null
    /// when it can: the replaced system must implement <see cref="IOdeSystem{T, TState}"/> over the replaced state, and
    /// each of its fields must be of the scalar type or not depend on it.
    /// </summary>
    /// <param name="system">The system type.</param>
    /// <param name="state">Its state type.</param>
    /// <param name="scalar">Its arithmetic type.</param>
    /// <param name="replacement">The arithmetic type to run it on.</param>
    /// <param name="what">The new arithmetic's name in the message, such as "dual numbers".</param>
    public static string? Refusal(Type system, Type state, Type scalar, Type replacement, string what)
    {
        Type replaced;
        try
        {
            replaced = Replace(system, scalar, replacement);
        }
        catch (ArgumentException)
        {
            return $"{system.Name}'s type parameters do not admit {replacement.Name}, so it cannot run on {what}";
        }
        if (!typeof(IOdeSystem<,>).MakeGenericType(replacement, Replace(state, scalar, replacement)).IsAssignableFrom(replaced))
            return $"{system.Name} is not generic over its arithmetic type {scalar.Name}, so it cannot run on {what}";
        var field = system.GetFields(Fields).FirstOrDefault(f => f.FieldType != scalar && f.FieldType != replaced.GetField(f.Name, Fields)!.FieldType);
        return field is null ? null
            : $"{system.Name}.{field.Name} is a {field.FieldType.Name}, which cannot be carried to {what}: only fields of the arithmetic type and fields that do not depend on it can";
    }

    /// <summary>
    /// A copy of <paramref name="system"/> as <see cref="Replace"/> of its type: each field of type
    /// <paramref name="scalar"/> becomes <paramref name="constant"/> of its value, every other field is copied.
    /// </summary>
    /// <exception cref="ArgumentException">The system cannot run on <paramref name="replacement"/> (<see cref="Refusal"/> says why).</exception>
    public static object Convert(object system, Type stateType, Type scalar, Type replacement, Func<object, object> constant, string what)
    {
        if (Refusal(system.GetType(), stateType, scalar, replacement, what) is { } reason)
            throw new ArgumentException(reason, nameof(system));
        var target = Replace(system.GetType(), scalar, replacement);
        var converted = Activator.CreateInstance(target)!;
        foreach (var field in system.GetType().GetFields(Fields))
        {
            var value = field.GetValue(system)!;
            target.GetField(field.Name, Fields)!.SetValue(converted, field.FieldType == scalar ? constant(value) : value);
        }
        return converted;
    }
}
