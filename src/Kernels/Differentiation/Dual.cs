using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// A dual number v + t·ε (ε² = 0) with one or several tangents: a system written against .NET's generic math runs its
/// unchanged <c>Evaluate</c> on it and returns, beside each value, its directional derivatives along the seeded
/// tangents (forward-mode differentiation). The tangent is a state vector, so <see cref="Vec1{T}"/> carries one
/// direction and <c>VecN</c> carries N in registers, with no loop over them. Nesting a dual in a dual gives second
/// derivatives.
/// <para>
/// Every operation differentiates by its derivative rule. Comparisons, equality, ordering and the classification
/// predicates (<c>IsNaN</c>, <c>IsInteger</c>, ...) look at the value alone; piecewise-constant functions (rounding,
/// <c>Sign</c>) have zero tangent; where a function's derivative is undefined (|x| at 0, Min and Max at ties) the
/// tangent of one side is taken. Parsing and formatting read and write the value alone. Nothing on a path a kernel
/// can reach throws; <see cref="Clamp"/> does not check its bounds.
/// </para>
/// </summary>
/// <typeparam name="T">The scalar: float, double, or a dual itself for second derivatives.</typeparam>
/// <typeparam name="TTangent">The tangents: a state vector of T with one component per direction.</typeparam>
/// <param name="value">The value.</param>
/// <param name="tangent">The derivatives of the value along each seeded direction.</param>
public readonly partial struct Dual<T, TTangent>(T value, TTangent tangent) : IFloatingPointIeee754<Dual<T, TTangent>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
{
    /// <summary>The value.</summary>
    public readonly T Value = value;

    /// <summary>The derivatives of <see cref="Value"/> along each seeded direction.</summary>
    public readonly TTangent Tangent = tangent;

    /// <summary>A constant: <paramref name="value"/> with zero tangents.</summary>
    /// <param name="value">The value.</param>
    public Dual(T value)
        : this(value, default)
    {
    }

    /// <inheritdoc />
    public static Dual<T, TTangent> Zero => new(T.Zero);

    /// <inheritdoc />
    public static Dual<T, TTangent> One => new(T.One);

    /// <inheritdoc />
    public static Dual<T, TTangent> NegativeOne => new(T.NegativeOne);

    /// <inheritdoc />
    public static Dual<T, TTangent> AdditiveIdentity => Zero;

    /// <inheritdoc />
    public static Dual<T, TTangent> MultiplicativeIdentity => One;

    /// <inheritdoc />
    public static int Radix => T.Radix;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> operator +(Dual<T, TTangent> value) => value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> operator -(Dual<T, TTangent> value) => new(-value.Value, TTangent.Scale(T.NegativeOne, value.Tangent));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> operator +(Dual<T, TTangent> left, Dual<T, TTangent> right) =>
        new(left.Value + right.Value, TTangent.MulAdd(left.Tangent, T.One, right.Tangent));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> operator -(Dual<T, TTangent> left, Dual<T, TTangent> right) =>
        new(left.Value - right.Value, TTangent.MulAdd(left.Tangent, T.NegativeOne, right.Tangent));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> operator *(Dual<T, TTangent> left, Dual<T, TTangent> right) =>
        new(left.Value * right.Value, TTangent.MulAdd(TTangent.Scale(right.Value, left.Tangent), left.Value, right.Tangent));

    /// <summary>The quotient: (u/w)' = (u' - (u/w) w') / w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> operator /(Dual<T, TTangent> left, Dual<T, TTangent> right)
    {
        var quotient = left.Value / right.Value;
        return new(quotient, TTangent.Scale(T.One / right.Value, TTangent.MulAdd(left.Tangent, -quotient, right.Tangent)));
    }

    /// <summary>The remainder u - trunc(u/w) w, whose derivative is u' - trunc(u/w) w'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T, TTangent> operator %(Dual<T, TTangent> left, Dual<T, TTangent> right) =>
        new(left.Value % right.Value, TTangent.MulAdd(left.Tangent, -T.Truncate(left.Value / right.Value), right.Tangent));

    /// <inheritdoc />
    public static Dual<T, TTangent> operator ++(Dual<T, TTangent> value) => new(value.Value + T.One, value.Tangent);

    /// <inheritdoc />
    public static Dual<T, TTangent> operator --(Dual<T, TTangent> value) => new(value.Value - T.One, value.Tangent);

    /// <summary>Compares values; tangents are ignored.</summary>
    public static bool operator ==(Dual<T, TTangent> left, Dual<T, TTangent> right) => left.Value == right.Value;

    /// <summary>Compares values; tangents are ignored.</summary>
    public static bool operator !=(Dual<T, TTangent> left, Dual<T, TTangent> right) => left.Value != right.Value;

    /// <summary>Compares values; tangents are ignored.</summary>
    public static bool operator <(Dual<T, TTangent> left, Dual<T, TTangent> right) => left.Value < right.Value;

    /// <summary>Compares values; tangents are ignored.</summary>
    public static bool operator >(Dual<T, TTangent> left, Dual<T, TTangent> right) => left.Value > right.Value;

    /// <summary>Compares values; tangents are ignored.</summary>
    public static bool operator <=(Dual<T, TTangent> left, Dual<T, TTangent> right) => left.Value <= right.Value;

    /// <summary>Compares values; tangents are ignored.</summary>
    public static bool operator >=(Dual<T, TTangent> left, Dual<T, TTangent> right) => left.Value >= right.Value;

    /// <summary>Compares values; tangents are ignored.</summary>
    public bool Equals(Dual<T, TTangent> other) => Value.Equals(other.Value);

    /// <summary>Compares values; tangents are ignored.</summary>
    public override bool Equals(object? obj) => obj is Dual<T, TTangent> other && Equals(other);

    /// <summary>The value's hash, consistent with <see cref="Equals(Dual{T, TTangent})"/>.</summary>
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>Orders by value; tangents are ignored.</summary>
    public int CompareTo(Dual<T, TTangent> other) => Value.CompareTo(other.Value);

    /// <summary>Orders by value; tangents are ignored. Null comes first.</summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is neither null nor this dual type.</exception>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Dual<T, TTangent> other => CompareTo(other),
        _ => throw new ArgumentException($"a {nameof(Dual<T, TTangent>)} compares only with another, but {obj.GetType().Name} was given", nameof(obj)),
    };

    // f(u) with f'(u) given: the chain rule for a function of one argument.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Dual<T, TTangent> Chain(T value, T derivative, Dual<T, TTangent> argument) =>
        new(value, TTangent.Scale(derivative, argument.Tangent));

    // f(u, w) with both partial derivatives given.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Dual<T, TTangent> Chain(T value, T byLeft, Dual<T, TTangent> left, T byRight, Dual<T, TTangent> right) =>
        new(value, TTangent.MulAdd(TTangent.Scale(byLeft, left.Tangent), byRight, right.Tangent));

    // A result equal to one argument's value takes that argument's tangent (Min, Max and their relatives).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Dual<T, TTangent> Pick(T value, Dual<T, TTangent> left, Dual<T, TTangent> right) =>
        new(value, value == left.Value ? left.Tangent : right.Tangent);

    // A piecewise-constant function of the value.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Dual<T, TTangent> Constant(T value) => new(value);
}
