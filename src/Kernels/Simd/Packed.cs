using System.Numerics;
using System.Runtime.CompilerServices;

namespace OdeGpu.Simd;

/// <summary>
/// The values of one group of trajectories in one SIMD register (<see cref="Vector{T}.Count"/> lanes: 8 floats or 4
/// doubles with AVX2, twice that with 512-bit vectors): a system written against .NET's generic math runs its
/// unchanged <c>Evaluate</c> on it and computes every lane at once, as <c>Dual</c> runs it in forward mode.
/// <para>
/// Arithmetic, the square root, Abs, Min, Max and fused multiply-adds are lane-wise vector instructions, so they give
/// what the scalar type gives, bit for bit; the exponential, logarithm, sine and cosine use the vector library (within
/// an ulp or two of the scalar functions); the other functions run lane by lane on <typeparamref name="T"/>. An operation whose result
/// is not a number per lane (comparisons, equality, classification, conversion to another type) cannot be followed by
/// one group: it answers for all lanes together (a comparison holds when it holds in every lane), and it is recorded in
/// <see cref="LaneBranches"/>, so that a solver sends such a system to the scalar path.
/// </para>
/// </summary>
/// <typeparam name="T">The lanes' scalar: float or double.</typeparam>
public partial struct Packed<T> : IFloatingPointIeee754<Packed<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// One value per lane. A field, not a constructor argument: the operators write it directly, because RyuJIT stops
    /// inlining once a method has 1,024 locals, and a constructor call in each operator would add to the temporaries
    /// of every operation (a stepper's attempt on lanes is compiled in parts for the same reason,
    /// <c>IStepper.AttemptInParts</c>).
    /// </summary>
    public Vector<T> Lanes;

    /// <summary><paramref name="lanes"/>, one value per lane.</summary>
    /// <param name="lanes">The values.</param>
    public Packed(Vector<T> lanes) => Lanes = lanes;

    /// <summary><paramref name="value"/> in every lane.</summary>
    /// <param name="value">The value.</param>
    public Packed(T value) => Lanes = new Vector<T>(value);

    /// <summary>Lanes per value: <see cref="Vector{T}.Count"/>.</summary>
    public static int Count => Vector<T>.Count;

    /// <inheritdoc />
    public static Packed<T> Zero => new(Vector<T>.Zero);

    /// <inheritdoc />
    public static Packed<T> One => new(Vector<T>.One);

    /// <inheritdoc />
    public static Packed<T> NegativeOne => new(T.NegativeOne);

    /// <inheritdoc />
    public static Packed<T> AdditiveIdentity => Zero;

    /// <inheritdoc />
    public static Packed<T> MultiplicativeIdentity => One;

    /// <inheritdoc />
    public static int Radix => T.Radix;

    /// <summary>Lane <paramref name="lane"/>'s value.</summary>
    public readonly T this[int lane] => Lanes[lane];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> operator +(Packed<T> value) => value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> operator -(Packed<T> value)
    {
        Packed<T> result;
        result.Lanes = -value.Lanes;
        return result;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> operator +(Packed<T> left, Packed<T> right)
    {
        Packed<T> result;
        result.Lanes = left.Lanes + right.Lanes;
        return result;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> operator -(Packed<T> left, Packed<T> right)
    {
        Packed<T> result;
        result.Lanes = left.Lanes - right.Lanes;
        return result;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> operator *(Packed<T> left, Packed<T> right)
    {
        Packed<T> result;
        result.Lanes = left.Lanes * right.Lanes;
        return result;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Packed<T> operator /(Packed<T> left, Packed<T> right)
    {
        Packed<T> result;
        result.Lanes = left.Lanes / right.Lanes;
        return result;
    }

    /// <summary>The remainder, lane by lane.</summary>
    public static Packed<T> operator %(Packed<T> left, Packed<T> right) => Map(left, right, static (x, y) => x % y);

    /// <inheritdoc />
    public static Packed<T> operator ++(Packed<T> value) => value + One;

    /// <inheritdoc />
    public static Packed<T> operator --(Packed<T> value) => value - One;

    /// <summary>True when every lane is equal; recorded as a branch.</summary>
    public static bool operator ==(Packed<T> left, Packed<T> right) => Branch("==", Vector.EqualsAll(left.Lanes, right.Lanes));

    /// <summary>True when some lane differs; recorded as a branch.</summary>
    public static bool operator !=(Packed<T> left, Packed<T> right) => Branch("!=", !Vector.EqualsAll(left.Lanes, right.Lanes));

    /// <summary>True when it holds in every lane; recorded as a branch.</summary>
    public static bool operator <(Packed<T> left, Packed<T> right) => Branch("<", Vector.LessThanAll(left.Lanes, right.Lanes));

    /// <summary>True when it holds in every lane; recorded as a branch.</summary>
    public static bool operator >(Packed<T> left, Packed<T> right) => Branch(">", Vector.GreaterThanAll(left.Lanes, right.Lanes));

    /// <summary>True when it holds in every lane; recorded as a branch.</summary>
    public static bool operator <=(Packed<T> left, Packed<T> right) => Branch("<=", Vector.LessThanOrEqualAll(left.Lanes, right.Lanes));

    /// <summary>True when it holds in every lane; recorded as a branch.</summary>
    public static bool operator >=(Packed<T> left, Packed<T> right) => Branch(">=", Vector.GreaterThanOrEqualAll(left.Lanes, right.Lanes));

    /// <summary>True when every lane is equal; recorded as a branch.</summary>
    public bool Equals(Packed<T> other) => this == other;

    /// <summary>True for packed values equal in every lane; recorded as a branch.</summary>
    public override bool Equals(object? obj) => obj is Packed<T> other && Equals(other);

    /// <summary>The lanes' hash, consistent with <see cref="Equals(Packed{T})"/>.</summary>
    public override int GetHashCode() => Lanes.GetHashCode();

    /// <summary>Orders by lane 0; recorded as a branch.</summary>
    public int CompareTo(Packed<T> other) => Branch("CompareTo", Lanes[0].CompareTo(other.Lanes[0]));

    /// <summary>Orders by lane 0; recorded as a branch. Null comes first.</summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is neither null nor this packed type.</exception>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Packed<T> other => CompareTo(other),
        _ => throw new ArgumentException($"a {nameof(Packed<T>)} compares only with another, but {obj.GetType().Name} was given", nameof(obj)),
    };

    // A result that stands for all lanes together: recorded, so that the solver runs the system on the scalar path.
    private static TResult Branch<TResult>(string operation, TResult result)
    {
        LaneBranches.Record(operation);
        return result;
    }

    // f in every lane, one lane at a time: for the functions that have no vector instruction.
    private static Packed<T> Map(Packed<T> x, Func<T, T> f)
    {
        Span<T> lanes = stackalloc T[Count];
        x.Lanes.CopyTo(lanes);
        for (var j = 0; j < lanes.Length; j++)
            lanes[j] = f(lanes[j]);
        return new(new Vector<T>(lanes));
    }

    private static Packed<T> Map(Packed<T> x, Packed<T> y, Func<T, T, T> f)
    {
        Span<T> left = stackalloc T[Count];
        Span<T> right = stackalloc T[Count];
        x.Lanes.CopyTo(left);
        y.Lanes.CopyTo(right);
        for (var j = 0; j < left.Length; j++)
            left[j] = f(left[j], right[j]);
        return new(new Vector<T>(left));
    }

    // Lane-wise predicates answer for all lanes: true when true in every lane.
    private static bool All(Packed<T> x, Func<T, bool> predicate, string name)
    {
        var all = true;
        for (var j = 0; j < Count; j++)
            all &= predicate(x.Lanes[j]);
        return Branch(name, all);
    }
}
