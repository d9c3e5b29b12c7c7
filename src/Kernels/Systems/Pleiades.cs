using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>
/// The Pleiades problem of Hairer, Norsett and Wanner I, II.10: seven bodies in the plane with masses m_j = j and
/// G = 1, x_i'' = sum over j != i of m_j (x_j - x_i) / r_ij^3 (likewise y). State (x1..x7, y1..y7, x1'..x7', y1'..y7').
/// No parameters.
/// </summary>
public struct Pleiades<T> : IOdeSystem<T, Vec28<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The masses m_j = j (m1 = T.One), constants folded into the kernel.
    private static readonly T M2 = T.CreateTruncating(2), M3 = T.CreateTruncating(3), M4 = T.CreateTruncating(4),
        M5 = T.CreateTruncating(5), M6 = T.CreateTruncating(6), M7 = T.CreateTruncating(7);

    /// <inheritdoc />
    public readonly int ParameterCount => 0;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
        // nothing to load
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec28<T> Evaluate(T t, Vec28<T> state)
    {
        // Straight-line, one pair at a time: a loop over bodies would index the state and spill it on GPUs.
        var (x1, x2, x3, x4, x5, x6, x7) = (state.C0, state.C1, state.C2, state.C3, state.C4, state.C5, state.C6);
        var (y1, y2, y3, y4, y5, y6, y7) = (state.C7, state.C8, state.C9, state.C10, state.C11, state.C12, state.C13);

        var (m1, m2, m3, m4, m5, m6, m7) = (T.One, M2, M3, M4, M5, M6, M7);

        // Each pair once: body j pulls body i along +p_ij (times m_j), body i pulls body j along -p_ij (times m_i).
        var p12 = Pull.Between(x1, y1, x2, y2);
        var p13 = Pull.Between(x1, y1, x3, y3);
        var p14 = Pull.Between(x1, y1, x4, y4);
        var p15 = Pull.Between(x1, y1, x5, y5);
        var p16 = Pull.Between(x1, y1, x6, y6);
        var p17 = Pull.Between(x1, y1, x7, y7);
        var p23 = Pull.Between(x2, y2, x3, y3);
        var p24 = Pull.Between(x2, y2, x4, y4);
        var p25 = Pull.Between(x2, y2, x5, y5);
        var p26 = Pull.Between(x2, y2, x6, y6);
        var p27 = Pull.Between(x2, y2, x7, y7);
        var p34 = Pull.Between(x3, y3, x4, y4);
        var p35 = Pull.Between(x3, y3, x5, y5);
        var p36 = Pull.Between(x3, y3, x6, y6);
        var p37 = Pull.Between(x3, y3, x7, y7);
        var p45 = Pull.Between(x4, y4, x5, y5);
        var p46 = Pull.Between(x4, y4, x6, y6);
        var p47 = Pull.Between(x4, y4, x7, y7);
        var p56 = Pull.Between(x5, y5, x6, y6);
        var p57 = Pull.Between(x5, y5, x7, y7);
        var p67 = Pull.Between(x6, y6, x7, y7);

        return new(
            state.C14, state.C15, state.C16, state.C17, state.C18, state.C19, state.C20,
            state.C21, state.C22, state.C23, state.C24, state.C25, state.C26, state.C27,
            m2 * p12.X + m3 * p13.X + m4 * p14.X + m5 * p15.X + m6 * p16.X + m7 * p17.X,
            -m1 * p12.X + m3 * p23.X + m4 * p24.X + m5 * p25.X + m6 * p26.X + m7 * p27.X,
            -m1 * p13.X - m2 * p23.X + m4 * p34.X + m5 * p35.X + m6 * p36.X + m7 * p37.X,
            -m1 * p14.X - m2 * p24.X - m3 * p34.X + m5 * p45.X + m6 * p46.X + m7 * p47.X,
            -m1 * p15.X - m2 * p25.X - m3 * p35.X - m4 * p45.X + m6 * p56.X + m7 * p57.X,
            -m1 * p16.X - m2 * p26.X - m3 * p36.X - m4 * p46.X - m5 * p56.X + m7 * p67.X,
            -m1 * p17.X - m2 * p27.X - m3 * p37.X - m4 * p47.X - m5 * p57.X - m6 * p67.X,
            m2 * p12.Y + m3 * p13.Y + m4 * p14.Y + m5 * p15.Y + m6 * p16.Y + m7 * p17.Y,
            -m1 * p12.Y + m3 * p23.Y + m4 * p24.Y + m5 * p25.Y + m6 * p26.Y + m7 * p27.Y,
            -m1 * p13.Y - m2 * p23.Y + m4 * p34.Y + m5 * p35.Y + m6 * p36.Y + m7 * p37.Y,
            -m1 * p14.Y - m2 * p24.Y - m3 * p34.Y + m5 * p45.Y + m6 * p46.Y + m7 * p47.Y,
            -m1 * p15.Y - m2 * p25.Y - m3 * p35.Y - m4 * p45.Y + m6 * p56.Y + m7 * p57.Y,
            -m1 * p16.Y - m2 * p26.Y - m3 * p36.Y - m4 * p46.Y - m5 * p56.Y + m7 * p67.Y,
            -m1 * p17.Y - m2 * p27.Y - m3 * p37.Y - m4 * p47.Y - m5 * p57.Y - m6 * p67.Y);
    }

    // (x_j - x_i, y_j - y_i) / r_ij^3: the pull of body j on body i per unit mass of j.
    private readonly struct Pull(T x, T y)
    {
        public readonly T X = x;
        public readonly T Y = y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Pull Between(T xi, T yi, T xj, T yj)
        {
            var dx = xj - xi;
            var dy = yj - yi;
            var r2 = dx * dx + dy * dy;
            var r3 = r2 * T.Sqrt(r2);
            return new(dx / r3, dy / r3);
        }
    }
}
