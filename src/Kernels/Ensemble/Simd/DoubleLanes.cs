using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// One double per lane of a group of <see cref="Vector{T}.Count"/> trajectories of scalar T: times, step sizes, error
/// norms and counters, which stay in double whatever the state's precision. A float group has twice as many lanes as a
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

    private const float Ln2 = 0.6931472f;

    /// <summary>All lanes true.</summary>
    public static DoubleLanes True => new(Vector<double>.AllBitsSet, Vector<double>.AllBitsSet);

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

    /// <summary>-x in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes operator -(DoubleLanes x) => new(-x.Low, -x.High);

    /// <summary>Lane-wise and of masks (a mask and 1.0 gives 1.0 where true and 0.0 where false).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes operator &(DoubleLanes x, DoubleLanes y) => new(x.Low & y.Low, x.High & y.High);

    /// <summary>Lane-wise or of masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes operator |(DoubleLanes x, DoubleLanes y) => new(x.Low | y.Low, x.High | y.High);

    /// <summary>Lane-wise negation of a mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes operator ~(DoubleLanes x) => new(~x.Low, ~x.High);

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

    /// <summary>Math.Sqrt in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Sqrt(DoubleLanes x) => new(Vector.SquareRoot(x.Low), Vector.SquareRoot(x.High));

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

    /// <summary>True where the lane is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes IsNaN(DoubleLanes x) => ~Equal(x, x);

    /// <summary>
    /// log2 x in every lane, in single precision, for the step-size controller (<c>StepDecision.Power</c> computes its
    /// factors in float): exponent plus 2 atanh(u) / ln 2 with u = (m - 1) / (m + 1) for the mantissa m in [1, 2),
    /// the odd series to u^11 (|u| &lt;= 1/3, so within about 1e-7). Zero gives about -127; the controller never asks
    /// for less (an error norm of zero takes the largest factor, NaN ends the lane).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Log2()
    {
        var bits = Vector.Narrow(Low, High).As<float, int>();
        var exponent = Vector.ConvertToSingle(Vector.ShiftRightArithmetic(bits, 23) - new Vector<int>(127));
        var m = (bits & new Vector<int>(0x007FFFFF) | new Vector<int>(0x3F800000)).As<int, float>();
        var u = (m - Vector<float>.One) / (m + Vector<float>.One);
        var u2 = u * u;
        var series = new Vector<float>(2 / (11 * Ln2));
        series = series * u2 + new Vector<float>(2 / (9 * Ln2));
        series = series * u2 + new Vector<float>(2 / (7 * Ln2));
        series = series * u2 + new Vector<float>(2 / (5 * Ln2));
        series = series * u2 + new Vector<float>(2 / (3 * Ln2));
        series = series * u2 + new Vector<float>(2 / Ln2);
        return exponent + u * series;
    }

    /// <summary>
    /// 2^y in every lane as doubles, y clamped to [-126, 126]: 2^n built in the exponent bits times e^(r ln 2) by its
    /// Taylor series to degree 7 (|r| &lt;= 1/2, so within about 1e-8).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes Exp2(Vector<float> y)
    {
        y = Vector.MinNative(Vector.MaxNative(y, new Vector<float>(-126f)), new Vector<float>(126f));
        var n = Vector.Round(y);
        var r = (y - n) * new Vector<float>(Ln2);
        var series = new Vector<float>(1f / 5040);
        series = series * r + new Vector<float>(1f / 720);
        series = series * r + new Vector<float>(1f / 120);
        series = series * r + new Vector<float>(1f / 24);
        series = series * r + new Vector<float>(1f / 6);
        series = series * r + new Vector<float>(0.5f);
        series = series * r + Vector<float>.One;
        series = series * r + Vector<float>.One;
        var scale = Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23).As<int, float>();
        Vector.Widen(series * scale, out var low, out var high);
        return new(low, high);
    }

    /// <summary>The lanes of a vector of T: widened from float, or a double vector (with its copy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes From<T>(Vector<T> x) where T : unmanaged
    {
        if (typeof(T) == typeof(double))
            return new(x.As<T, double>(), x.As<T, double>());
        Vector.Widen(x.As<T, float>(), out var low, out var high);
        return new(low, high);
    }

    /// <summary>The lanes rounded to T (float), or as they are (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> To<T>() where T : unmanaged =>
        typeof(T) == typeof(double) ? Low.As<double, T>() : Vector.Narrow(Low, High).As<float, T>();

    /// <summary>A mask over a vector of T as a mask over the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes FromMask<T>(Vector<T> mask) where T : unmanaged
    {
        if (typeof(T) == typeof(double))
            return new(mask.As<T, double>(), mask.As<T, double>());
        Vector.Widen(mask.As<T, int>(), out var low, out var high);
        return new(low.As<long, double>(), high.As<long, double>());
    }

    /// <summary>Whether lane <paramref name="lane"/> of a mask is true.</summary>
    public bool IsSet(int lane) => BitConverter.DoubleToInt64Bits(this[lane]) != 0;

    /// <summary>A mask as a mask over a vector of T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> MaskOf<T>() where T : unmanaged =>
        typeof(T) == typeof(double) ? Low.As<double, T>() : Vector.Narrow(Low.As<double, long>(), High.As<double, long>()).As<int, T>();

    /// <summary>True when some lane of a mask is true.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Any() => !Vector.EqualsAll((Low | High).As<double, long>(), Vector<long>.Zero);

    /// <summary>A mask's lanes as bits, lane j in bit j, for <paramref name="lanes"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bits(int lanes)
    {
        var bits = SignBits(Low.As<double, long>());
        return lanes > Vector<double>.Count ? bits | SignBits(High.As<double, long>()) << Vector<double>.Count : bits;
    }

    /// <summary>The mask whose lane j is bit j of <paramref name="bits"/>.</summary>
    public static DoubleLanes Mask(int bits, int lanes)
    {
        Span<double> values = stackalloc double[2 * Vector<double>.Count];
        for (var j = 0; j < values.Length; j++)
            values[j] = (bits >> (lanes > Vector<double>.Count ? j : j % Vector<double>.Count) & 1) != 0 ? BitConverter.Int64BitsToDouble(-1) : 0;
        return FromSpan(values);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SignBits(Vector<long> x)
    {
        if (Vector<long>.Count == 4)
            return (int)Vector256.ExtractMostSignificantBits(x.AsVector256());
        if (Vector<long>.Count == 8)
            return (int)Vector512.ExtractMostSignificantBits(x.AsVector512());
        var bits = 0;
        for (var j = 0; j < Vector<long>.Count; j++)
            bits |= (x[j] < 0 ? 1 : 0) << j;
        return bits;
    }

    /// <summary>Lanes from <paramref name="values"/> (2 x <see cref="Vector{T}.Count"/> of double; a double group's copy included).</summary>
    public static DoubleLanes FromSpan(ReadOnlySpan<double> values) =>
        new(new Vector<double>(values), new Vector<double>(values[Vector<double>.Count..]));

    /// <summary>This value with lane <paramref name="lane"/> (and its copy in a double group) set to <paramref name="value"/>.</summary>
    public DoubleLanes With(int lane, double value, int lanes)
    {
        var count = Vector<double>.Count;
        if (lanes <= count)
            return new(Low.WithElement(lane, value), High.WithElement(lane, value));
        return lane < count ? new(Low.WithElement(lane, value), High) : new(Low, High.WithElement(lane - count, value));
    }
}
