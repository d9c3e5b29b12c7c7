using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OdeGpu.Neural;

namespace OdeGpu.Device;

/// <summary>
/// The row arithmetic of the dense layers' SIMD twins (<see cref="SimdPrimitives"/>) in <see cref="Vector{T}"/> lanes.
/// A product with a matrix runs across its wider side: as broadcast multiply-adds into four accumulators of a
/// vector each when the result is at least a vector wide, else as dot products over the inputs; so neither the
/// 4 -> 32 nor the 32 -> 4 layer of a small MLP falls back to scalar loops.
/// </summary>
internal static class DenseLanes
{
    /// <summary>
    /// y[j] += sum over i &lt; k of x[i] M[i, j] for j &lt; n, with M[i, j] = m[i mStride + j] = mT[j mTStride + i]: the
    /// same matrix stored both ways, each form read where it runs across contiguous memory.
    /// </summary>
    public static void Product<T>(ReadOnlySpan<T> x, int k, ReadOnlySpan<T> m, int mStride, ReadOnlySpan<T> mT, int mTStride, Span<T> y, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        var j = 0;
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ms = ref MemoryMarshal.GetReference(m);
        ref var ys = ref MemoryMarshal.GetReference(y);
        for (; j + 4 * lanes <= n; j += 4 * lanes)
        {
            var y0 = Load(ref ys, j);
            var y1 = Load(ref ys, j + lanes);
            var y2 = Load(ref ys, j + 2 * lanes);
            var y3 = Load(ref ys, j + 3 * lanes);
            for (var i = 0; i < k; i++)
            {
                var xi = new Vector<T>(Unsafe.Add(ref xs, i));
                var row = i * mStride + j;
                y0 = Lanes.MultiplyAdd(xi, Load(ref ms, row), y0);
                y1 = Lanes.MultiplyAdd(xi, Load(ref ms, row + lanes), y1);
                y2 = Lanes.MultiplyAdd(xi, Load(ref ms, row + 2 * lanes), y2);
                y3 = Lanes.MultiplyAdd(xi, Load(ref ms, row + 3 * lanes), y3);
            }
            Store(y0, ref ys, j);
            Store(y1, ref ys, j + lanes);
            Store(y2, ref ys, j + 2 * lanes);
            Store(y3, ref ys, j + 3 * lanes);
        }
        for (; j + lanes <= n; j += lanes)
        {
            var y0 = Load(ref ys, j);
            for (var i = 0; i < k; i++)
                y0 = Lanes.MultiplyAdd(new Vector<T>(Unsafe.Add(ref xs, i)), Load(ref ms, i * mStride + j), y0);
            Store(y0, ref ys, j);
        }
        for (; j < n; j++)
            Unsafe.Add(ref ys, j) += Dot(x, mT.Slice(j * mTStride, k));
    }

    /// <summary>sum of u[i] v[i], in lanes then across them.</summary>
    public static T Dot<T>(ReadOnlySpan<T> u, ReadOnlySpan<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        ref var us = ref MemoryMarshal.GetReference(u);
        ref var vs = ref MemoryMarshal.GetReference(v);
        var sum = Vector<T>.Zero;
        var i = 0;
        for (; i + lanes <= v.Length; i += lanes)
            sum = Lanes.MultiplyAdd(Load(ref us, i), Load(ref vs, i), sum);
        var total = Vector.Sum(sum);
        for (; i < v.Length; i++)
            total += Unsafe.Add(ref us, i) * Unsafe.Add(ref vs, i);
        return total;
    }

    /// <summary>
    /// m[i mStride + j] += sum over r &lt; rows of u[r nu + i] v[r nv + j], m [nu x nv] with rows mStride apart: a block of rows' outer products,
    /// accumulated in four-vector registers across the rows with v's rows in lanes (u's elements broadcast, so u may be
    /// the narrow side).
    /// </summary>
    public static void OuterSum<T>(ReadOnlySpan<T> u, int nu, ReadOnlySpan<T> v, int nv, int rows, Span<T> m, int mStride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        ref var us = ref MemoryMarshal.GetReference(u);
        ref var vs = ref MemoryMarshal.GetReference(v);
        ref var ms = ref MemoryMarshal.GetReference(m);
        for (var i = 0; i < nu; i++)
        {
            var row = i * mStride;
            var j = 0;
            for (; j + 4 * lanes <= nv; j += 4 * lanes)
            {
                var m0 = Load(ref ms, row + j);
                var m1 = Load(ref ms, row + j + lanes);
                var m2 = Load(ref ms, row + j + 2 * lanes);
                var m3 = Load(ref ms, row + j + 3 * lanes);
                for (var r = 0; r < rows; r++)
                {
                    var ui = new Vector<T>(Unsafe.Add(ref us, r * nu + i));
                    var at = r * nv + j;
                    m0 = Lanes.MultiplyAdd(ui, Load(ref vs, at), m0);
                    m1 = Lanes.MultiplyAdd(ui, Load(ref vs, at + lanes), m1);
                    m2 = Lanes.MultiplyAdd(ui, Load(ref vs, at + 2 * lanes), m2);
                    m3 = Lanes.MultiplyAdd(ui, Load(ref vs, at + 3 * lanes), m3);
                }
                Store(m0, ref ms, row + j);
                Store(m1, ref ms, row + j + lanes);
                Store(m2, ref ms, row + j + 2 * lanes);
                Store(m3, ref ms, row + j + 3 * lanes);
            }
            for (; j + lanes <= nv; j += lanes)
            {
                var m0 = Load(ref ms, row + j);
                for (var r = 0; r < rows; r++)
                    m0 = Lanes.MultiplyAdd(new Vector<T>(Unsafe.Add(ref us, r * nu + i)), Load(ref vs, r * nv + j), m0);
                Store(m0, ref ms, row + j);
            }
            for (; j < nv; j++)
            {
                var sum = T.Zero;
                for (var r = 0; r < rows; r++)
                    sum += Unsafe.Add(ref us, r * nu + i) * Unsafe.Add(ref vs, r * nv + j);
                Unsafe.Add(ref ms, row + j) += sum;
            }
        }
    }

    /// <summary>y[j] += s x[j].</summary>
    public static void MultiplyAdd<T>(T s, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        var scale = new Vector<T>(s);
        var j = 0;
        for (; j + lanes <= x.Length; j += lanes)
            Store(Lanes.MultiplyAdd(scale, Load(ref xs, j), Load(ref ys, j)), ref ys, j);
        for (; j < x.Length; j++)
            Unsafe.Add(ref ys, j) += s * Unsafe.Add(ref xs, j);
    }

    /// <summary>The sum of x's elements, in lanes then across them.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        ref var xs = ref MemoryMarshal.GetReference(x);
        var sum = Vector<T>.Zero;
        var i = 0;
        for (; i + lanes <= x.Length; i += lanes)
            sum += Load(ref xs, i);
        var total = Vector.Sum(sum);
        for (; i < x.Length; i++)
            total += Unsafe.Add(ref xs, i);
        return total;
    }

    /// <summary>w[j] = u[j] + v[j]; w may be u or v.</summary>
    public static void Add<T>(ReadOnlySpan<T> u, ReadOnlySpan<T> v, Span<T> w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        ref var us = ref MemoryMarshal.GetReference(u);
        ref var vs = ref MemoryMarshal.GetReference(v);
        ref var ws = ref MemoryMarshal.GetReference(w);
        var j = 0;
        for (; j + lanes <= w.Length; j += lanes)
            Store(Load(ref us, j) + Load(ref vs, j), ref ws, j);
        for (; j < w.Length; j++)
            Unsafe.Add(ref ws, j) = Unsafe.Add(ref us, j) + Unsafe.Add(ref vs, j);
    }

    /// <summary>h = sigma(z) elementwise.</summary>
    public static void Activate<T, TActivation>(ReadOnlySpan<T> z, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
    {
        var lanes = Vector<T>.Count;
        ref var zs = ref MemoryMarshal.GetReference(z);
        ref var hs = ref MemoryMarshal.GetReference(h);
        var j = 0;
        for (; j + lanes <= z.Length; j += lanes)
            Store(TActivation.Values(Load(ref zs, j)), ref hs, j);
        for (; j < z.Length; j++)
            Unsafe.Add(ref hs, j) = TActivation.Value(Unsafe.Add(ref zs, j));
    }

    /// <summary>ConcatSquash's forward: l = z, then z = l sigmoid(g t + c) + d t elementwise.</summary>
    public static void Squash<T>(Span<T> z, Span<T> l, ReadOnlySpan<T> g, ReadOnlySpan<T> c, ReadOnlySpan<T> d, T t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        z.CopyTo(l);
        var lanes = Vector<T>.Count;
        var time = new Vector<T>(t);
        var j = 0;
        for (; j + lanes <= z.Length; j += lanes)
        {
            var gate = Sigmoid.Values(Lanes.MultiplyAdd(new Vector<T>(g[j..]), time, new Vector<T>(c[j..])));
            Lanes.MultiplyAdd(new Vector<T>(d[j..]), time, new Vector<T>(l[j..]) * gate).CopyTo(z[j..]);
        }
        for (; j < z.Length; j++)
            z[j] = l[j] * Sigmoid.Value(g[j] * t + c[j]) + d[j] * t;
    }

    /// <summary>
    /// ConcatSquash's backward: lBar = zBar sigmoid(g t + c) and the gate's cotangent sBar = zBar l sigmoid' (into
    /// <paramref name="sBar"/>); returns dL/dt, zBar . d + sBar . g.
    /// </summary>
    public static T Unsquash<T>(ReadOnlySpan<T> zBar, ReadOnlySpan<T> l, ReadOnlySpan<T> g, ReadOnlySpan<T> c, ReadOnlySpan<T> d, T t, Span<T> lBar, Span<T> sBar)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < zBar.Length; j++)
        {
            var gate = Sigmoid.Value(g[j] * t + c[j]);
            lBar[j] = zBar[j] * gate;
            sBar[j] = zBar[j] * l[j] * gate * (T.One - gate);
        }
        return Dot(zBar, d) + Dot<T>(sBar, g);
    }

    /// <summary>zBar = sigma'(z) hBar elementwise.</summary>
    public static void PreActivationAdjoint<T, TActivation>(ReadOnlySpan<T> z, ReadOnlySpan<T> hBar, Span<T> zBar)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
    {
        var lanes = Vector<T>.Count;
        ref var zs = ref MemoryMarshal.GetReference(z);
        ref var hs = ref MemoryMarshal.GetReference(hBar);
        ref var bs = ref MemoryMarshal.GetReference(zBar);
        var j = 0;
        for (; j + lanes <= z.Length; j += lanes)
            Store(TActivation.Derivatives(Load(ref zs, j)) * Load(ref hs, j), ref bs, j);
        for (; j < z.Length; j++)
            Unsafe.Add(ref bs, j) = TActivation.Derivative(Unsafe.Add(ref zs, j)) * Unsafe.Add(ref hs, j);
    }

    /// <summary>The vector at start + offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(ref T start, int offset) where T : unmanaged =>
        Vector.LoadUnsafe(ref start, (nuint)offset);

    /// <summary>Writes a vector at start + offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector<T> value, ref T start, int offset) where T : unmanaged =>
        value.StoreUnsafe(ref start, (nuint)offset);
}
