using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// One double per lane of a group of <see cref="Vector{T}.Count"/> trajectories of scalar T: times and step sizes,
/// which stay in double whatever the state's precision (the controller's other values are <see cref="ControlLanes"/>).
/// A float group has twice as many lanes as a
/// <see cref="Vector{T}"/> of double, so the lanes are two vectors, <see cref="Low"/> then <see cref="High"/>; a double
/// group fills <see cref="Low"/> and carries a copy in <see cref="High"/>, which is computed alongside and never read.
/// A mask is a value whose lanes are all ones (true) or all zeros (false).
/// </summary>
/// <param name="low">Lanes 0 to <see cref="Vector{T}.Count"/> of double - 1.</param>
/// <param name="high">The next lanes (a float group), or a copy of <paramref name="low"/> (a double group).</param>
internal readonly struct DoubleLanes(Vector<double> low, Vector<double> high)
{
    /// <summary>The first lanes.</summary>
    public readonly Vector<double> Low = low;

    /// <summary>The lanes after <see cref="Low"/>'s (float groups).</summary>
    public readonly Vector<double> High = high;

    /// <summary><paramref name="value"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DoubleLanes(double value)
        : this(new Vector<double>(value), new Vector<double>(value))
    {
    }

    /// <summary>All lanes false (and zero).</summary>
    public static DoubleLanes False => default;

    /// <summary>Lane <paramref name="lane"/>'s value.</summary>
    public double this[int lane] => lane < Vector<double>.Count ? Low[lane] : High[lane - Vector<double>.Count];

    /// <inheritdoc cref="Vector{T}.op_Addition"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes operator +(DoubleLanes x, DoubleLanes y) => new(x.Low + y.Low, x.High + y.High);

    /// <inheritdoc cref="Vector{T}.op_Subtraction"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes operator -(DoubleLanes x, DoubleLanes y) => new(x.Low - y.Low, x.High - y.High);

    /// <inheritdoc cref="Vector{T}.op_Multiply(Vector{T}, Vector{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes operator *(DoubleLanes x, DoubleLanes y) => new(x.Low * y.Low, x.High * y.High);

    /// <inheritdoc cref="Vector{T}.op_Division(Vector{T}, Vector{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes operator /(DoubleLanes x, DoubleLanes y) => new(x.Low / y.Low, x.High / y.High);

    /// <summary>Lane-wise or of masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes operator |(DoubleLanes x, DoubleLanes y) => new(x.Low | y.Low, x.High | y.High);

    /// <summary>|x| in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Abs(DoubleLanes x) => new(Vector.Abs(x.Low), Vector.Abs(x.High));

    /// <summary>
    /// Math.Min in every lane that holds no NaN and no zeros of both signs, as the controller's lanes do (one
    /// instruction, where the IEEE minimum takes several).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Min(DoubleLanes x, DoubleLanes y) => new(Vector.MinNative(x.Low, y.Low), Vector.MinNative(x.High, y.High));

    /// <summary>Math.Max in every lane that holds no NaN and no zeros of both signs (see <see cref="Min"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Max(DoubleLanes x, DoubleLanes y) => new(Vector.MaxNative(x.Low, y.Low), Vector.MaxNative(x.High, y.High));

    /// <summary>|x| with the sign of <paramref name="sign"/> in every lane (x not negative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes CopySign(DoubleLanes x, DoubleLanes sign)
    {
        var bit = new Vector<double>(-0.0);
        return new(x.Low | (sign.Low & bit), x.High | (sign.High & bit));
    }

    /// <summary><paramref name="ifTrue"/> where <paramref name="mask"/> is true, else <paramref name="ifFalse"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Select(DoubleLanes mask, DoubleLanes ifTrue, DoubleLanes ifFalse) =>
        new(Blend(mask.Low, ifTrue.Low, ifFalse.Low), Blend(mask.High, ifTrue.High, ifFalse.High));

    /// <summary>
    /// <paramref name="ifTrue"/> where the mask's lanes are all ones, <paramref name="ifFalse"/> where they are zeros:
    /// one blend instruction where the CPU has one, rather than the three of a bitwise select.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Blend<T>(Vector<T> mask, Vector<T> ifTrue, Vector<T> ifFalse) where T : unmanaged
    {
        if (Avx.IsSupported && Vector<T>.Count * Unsafe.SizeOf<T>() == 32)
        {
            if (typeof(T) == typeof(double))
                return Avx.BlendVariable(ifFalse.AsVector256().AsDouble(), ifTrue.AsVector256().AsDouble(), mask.AsVector256().AsDouble()).As<double, T>().AsVector();
            if (typeof(T) == typeof(float))
                return Avx.BlendVariable(ifFalse.AsVector256().AsSingle(), ifTrue.AsVector256().AsSingle(), mask.AsVector256().AsSingle()).As<float, T>().AsVector();
        }
        return Vector.ConditionalSelect(mask, ifTrue, ifFalse);
    }

    /// <summary>x &lt;= y in every lane (false where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes LessOrEqual(DoubleLanes x, DoubleLanes y) =>
        new(Vector.LessThanOrEqual(x.Low, y.Low).As<long, double>(), Vector.LessThanOrEqual(x.High, y.High).As<long, double>());

    /// <summary>x &lt; y in every lane (false where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Less(DoubleLanes x, DoubleLanes y) =>
        new(Vector.LessThan(x.Low, y.Low).As<long, double>(), Vector.LessThan(x.High, y.High).As<long, double>());

    /// <summary>x == y in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Equal(DoubleLanes x, DoubleLanes y) =>
        new(Vector.Equals(x.Low, y.Low).As<long, double>(), Vector.Equals(x.High, y.High).As<long, double>());

    /// <summary>The lanes rounded to T (float), or as they are (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> To<T>() where T : unmanaged =>
        typeof(T) == typeof(double) ? Low.As<double, T>() : Vector.Narrow(Low, High).As<float, T>();

    /// <summary>Lanes from one value per lane (a double group's copy made here).</summary>
    public static DoubleLanes FromLanes(ReadOnlySpan<double> values)
    {
        var count = Vector<double>.Count;
        return new(new Vector<double>(values), new Vector<double>(values.Length > count ? values[count..] : values));
    }
}
