using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OdeGpu.Neural;
using OdeGpu.Precision;

namespace OdeGpu.Device;

/// <summary>
/// The SIMD twin of <see cref="Conv2dKernels"/> for the direct CPU launcher: a block of rows' patches are unrolled into
/// a matrix [channels x kernel x kernel, rows x output pixels] (im2col), and the convolution and its VJP become the
/// matrix products of <see cref="GemmLanes"/>. The unrolling and its inverse work in contiguous runs: a stride-1
/// convolution as wide as its input copies each kernel offset's line as the image shifted, a strided one copies runs of
/// the padded image's stride x stride phases, others go row by row. The weights' and the bias's gradients are summed per group of blocks and
/// then over the groups in order, a fixed partition of the rows, so they are the same on every run and every core count;
/// the weights' are kept [patch x Out] (or [Out x patch] when the patch is the narrower side), so that their product
/// too runs across the wider side in lanes.
/// </summary>
internal static class Conv2dLanes
{
    // Columns (rows x output pixels) a block of rows aims for: enough for the products' tiles, few enough to stay cached.
    private const int BlockColumns = 256;

    // Groups of blocks whose parameter gradients are summed apart: the parallelism of the backward pass.
    private const int Groups = 8;

    /// <summary>As <see cref="Conv2dKernels.Forward{T, TP}"/> over the whole batch.</summary>
    public static void Forward<T, TP>(Conv2dArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        // Each output's sums run in the same order whatever the blocks, so the forward pass may cut them for the cores.
        var shape = new Shape(a.Rows, a.In, a.Kernel, a.TimeChannel, a.OutHeight, a.OutWidth, Environment.ProcessorCount);
        Parallel.For(0, shape.Blocks, b => ForwardBlock<T, TP>(a, shape, b));
    }

    /// <summary>
    /// The VJP: WBar and BBar (and TimeBar with a time channel) always; XBar when <paramref name="input"/> (a network's
    /// first layer needs no input cotangent).
    /// </summary>
    public static void Backward<T, TP>(Conv2dArgs<T> a, bool input)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var shape = new Shape(a.Rows, a.In, a.Kernel, a.TimeChannel, a.OutHeight, a.OutWidth);
        var weights = a.Out * shape.Patch;
        var stride = weights + a.Out;
        var groups = Math.Min(Groups, shape.Blocks);
        var partials = new T[groups * stride];
        Parallel.For(0, groups, g =>
        {
            var partial = partials.AsSpan(g * stride, stride);
            for (var b = g * shape.Blocks / groups; b < (g + 1) * shape.Blocks / groups; b++)
                BackwardBlock<T, TP>(a, shape, b, input, partial);
        });
        var total = new T[stride];
        for (var g = 0; g < groups; g++)
            DenseLanes.MultiplyAdd(T.One, partials.AsSpan(g * stride, stride), total);
        var wBar = HostViewAccess.Span(a.WBar, 0, weights);
        if (shape.KeepsWeightsTransposed(a.Out))
            Transpose(total.AsSpan(0, weights), shape.Patch, a.Out, wBar);
        else
            total.AsSpan(0, weights).CopyTo(wBar);
        if (a.BBar.Length > 0)
            total.AsSpan(weights, a.Out).CopyTo(HostViewAccess.Span(a.BBar, 0, a.Out));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardBlock<T, TP>(in Conv2dArgs<T> a, Shape shape, int block)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var (first, rows) = shape.Block(block);
        var columns = shape.Columns(rows);
        var patches = ArrayPool<T>.Shared.Rent(shape.Patch * columns);
        var output = ArrayPool<T>.Shared.Rent(a.Out * columns);
        try
        {
            Unroll<T, TP>(a, shape, first, rows, patches);
            var bias = HostViewAccess.Span(a.B, 0, (int)a.B.Length);
            for (var o = 0; o < a.Out; o++)
                output.AsSpan(o * columns, columns).Fill(bias.IsEmpty ? T.Zero : bias[o]);
            GemmLanes.Product<T>(a.Out, columns, shape.Patch, HostViewAccess.Span(a.W, 0, (int)a.W.Length), shape.Patch, 1, patches, columns, output, columns);
            var y = HostViewAccess.Span(a.Y, (long)first * a.Out * shape.Pixels, rows * a.Out * shape.Pixels);
            for (var r = 0; r < rows; r++)
                for (var o = 0; o < a.Out; o++)
                    output.AsSpan(o * columns + r * shape.Pixels, shape.Pixels).CopyTo(y.Slice((r * a.Out + o) * shape.Pixels, shape.Pixels));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(patches);
            ArrayPool<T>.Shared.Return(output);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardBlock<T, TP>(in Conv2dArgs<T> a, Shape shape, int block, bool input, Span<T> partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var (first, rows) = shape.Block(block);
        var columns = shape.Columns(rows);
        var patches = ArrayPool<T>.Shared.Rent(shape.Patch * columns);
        var outputBar = ArrayPool<T>.Shared.Rent(a.Out * columns);
        var transposed = ArrayPool<T>.Shared.Rent(Math.Min(a.Out, shape.Patch) * columns);
        try
        {
            Unroll<T, TP>(a, shape, first, rows, patches);
            var yBar = HostViewAccess.Span(a.YBar, (long)first * a.Out * shape.Pixels, rows * a.Out * shape.Pixels);
            for (var o = 0; o < a.Out; o++)
                outputBar.AsSpan(o * columns + rows * shape.Pixels, columns - rows * shape.Pixels).Clear();
            for (var r = 0; r < rows; r++)
                for (var o = 0; o < a.Out; o++)
                    yBar.Slice((r * a.Out + o) * shape.Pixels, shape.Pixels).CopyTo(outputBar.AsSpan(o * columns + r * shape.Pixels, shape.Pixels));
            var weights = a.Out * shape.Patch;
            if (shape.KeepsWeightsTransposed(a.Out))
            {
                Transpose(outputBar, a.Out, columns, transposed);
                GemmLanes.Product<T>(shape.Patch, a.Out, columns, patches, columns, 1, transposed, a.Out, partial, a.Out);
            }
            else
            {
                Transpose(patches, shape.Patch, columns, transposed);
                GemmLanes.Product<T>(a.Out, shape.Patch, columns, outputBar, columns, 1, transposed, shape.Patch, partial, shape.Patch);
            }
            for (var o = 0; o < a.Out; o++)
                partial[weights + o] += DenseLanes.Sum<T>(outputBar.AsSpan(o * columns, columns));
            if (!input && a.TimeChannel == 0)
                return;
            Array.Clear(patches, 0, shape.Patch * columns);
            GemmLanes.Product<T>(shape.Patch, columns, a.Out, HostViewAccess.Span(a.W, 0, (int)a.W.Length), 1, shape.Patch, outputBar, columns, patches, columns);
            Fold(a, shape, first, rows, patches, input);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(patches);
            ArrayPool<T>.Shared.Return(outputBar);
            ArrayPool<T>.Shared.Return(transposed);
        }
    }

    // im2col: patches[(c K + ky) K + kx, r P + y W' + x] = the padded input of row first + r (the time channel counted).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Unroll<T, TP>(in Conv2dArgs<T> a, Shape shape, int first, int rows, T[] patches)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var columns = shape.Columns(rows);
        var x = HostViewAccess.Span(a.X, (long)first * a.In * a.Height * a.Width, rows * a.In * a.Height * a.Width);
        var time = a.TimeChannel != 0 ? HostViewAccess.Span(a.Time, first, rows) : [];
        var shifted = Shifts(a, shape);
        var phases = a.Stride > 1 ? ArrayPool<T>.Shared.Rent(PhasesLength(a)) : [];
        for (var c = 0; c < shape.Channels; c++)
        {
            if (a.Stride > 1 && c >= a.TimeChannel)
            {
                for (var r = 0; r < rows; r++)
                    UnrollPhases(a, shape, c, r, rows, x.Slice((r * a.In + c - a.TimeChannel) * a.Height * a.Width, a.Height * a.Width), phases, patches, columns);
                continue;
            }
            for (var ky = 0; ky < a.Kernel; ky++)
                for (var kx = 0; kx < a.Kernel; kx++)
                {
                    var line = patches.AsSpan(((c * a.Kernel + ky) * a.Kernel + kx) * columns, columns);
                    line[(rows * shape.Pixels)..].Clear();
                    var (lo, hi) = Inside(a, kx);
                    var run = shifted ? ShiftedRange(a, shape, ky, kx, lo, hi) : default;
                    for (var r = 0; r < rows; r++)
                    {
                        ReadOnlySpan<T> image = c < a.TimeChannel ? [] : x.Slice((r * a.In + c - a.TimeChannel) * a.Height * a.Width, a.Height * a.Width);
                        var t = c < a.TimeChannel ? TP.FromDouble(time[r]) : T.Zero;
                        if (shifted && c >= a.TimeChannel)
                            UnrollShifted(shape, run, lo, hi, image, line.Slice(r * shape.Pixels, shape.Pixels));
                        else
                            UnrollRow(a, shape, ky, kx, lo, hi, c < a.TimeChannel, t, image, line.Slice(r * shape.Pixels, shape.Pixels));
                    }
                }
        }
        if (a.Stride > 1)
            ArrayPool<T>.Shared.Return(phases);
    }

    // A strided convolution's input channel split into its stride x stride phases of the padded image,
    // phase (py, px)[Y, X] = padded[s Y + py, s X + px], so that kernel offset (ky, kx)'s output row oy is one contiguous
    // run of phase (ky mod s, kx mod s)'s row oy + ky / s from column kx / s.
    private static int PhasesLength<T>(in Conv2dArgs<T> a) where T : unmanaged =>
        a.Stride * a.Stride * PhaseHeight(a) * PhaseWidth(a);

    private static int PhaseHeight<T>(in Conv2dArgs<T> a) where T : unmanaged => (a.Height + 2 * a.Padding + a.Stride - 1) / a.Stride;

    private static int PhaseWidth<T>(in Conv2dArgs<T> a) where T : unmanaged => (a.Width + 2 * a.Padding + a.Stride - 1) / a.Stride;

    // Row r's patch lines of input channel c for a strided convolution: the image into its phases, then a contiguous
    // copy per output row and kernel offset.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnrollPhases<T>(in Conv2dArgs<T> a, Shape shape, int c, int r, int rows, Span<T> image, T[] phases, T[] patches, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (s, height, width) = (a.Stride, PhaseHeight(a), PhaseWidth(a));
        var phase = height * width;
        phases.AsSpan(0, s * s * phase).Clear();
        Split(a, image, phases, toPhases: true);
        for (var ky = 0; ky < a.Kernel; ky++)
            for (var kx = 0; kx < a.Kernel; kx++)
            {
                var line = patches.AsSpan(((c * a.Kernel + ky) * a.Kernel + kx) * columns, columns);
                if (r == rows - 1)
                    line[(rows * shape.Pixels)..].Clear();
                var from = phases.AsSpan(((ky % s) * s + kx % s) * phase + ky / s * width + kx / s);
                var to = line.Slice(r * shape.Pixels, shape.Pixels);
                for (var oy = 0; oy < shape.OutHeight; oy++)
                    CopyRun(ref from[oy * width], ref to[oy * shape.OutWidth], shape.OutWidth);
            }
    }

    // One row's patch line of input channel (c, ky, kx): zero outside the image, the time on the time channel, else the
    // pixels under the kernel's (ky, kx). Unchecked inside: [lo, hi) and the rows tested keep every index in the image.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnrollRow<T>(in Conv2dArgs<T> a, Shape shape, int ky, int kx, int lo, int hi, bool isTime, T t, ReadOnlySpan<T> image, Span<T> line)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var source = ref MemoryMarshal.GetReference(image);
        ref var target = ref MemoryMarshal.GetReference(line);
        for (var oy = 0; oy < shape.OutHeight; oy++)
        {
            var iy = oy * a.Stride + ky - a.Padding;
            ref var to = ref Unsafe.Add(ref target, oy * shape.OutWidth);
            var ox = 0;
            if (iy >= 0 && iy < a.Height && lo < hi)
            {
                for (; ox < lo; ox++)
                    Unsafe.Add(ref to, ox) = T.Zero;
                if (isTime)
                    for (; ox < hi; ox++)
                        Unsafe.Add(ref to, ox) = t;
                else
                {
                    ref var from = ref Unsafe.Add(ref source, iy * a.Width + lo * a.Stride + kx - a.Padding);
                    for (var q = 0; ox < hi; ox++, q += a.Stride)
                        Unsafe.Add(ref to, ox) = Unsafe.Add(ref from, q);
                }
            }
            for (; ox < shape.OutWidth; ox++)
                Unsafe.Add(ref to, ox) = T.Zero;
        }
    }

    // With stride 1 and the output as wide as the input, the line of kernel offset (ky, kx) is the image shifted by
    // (ky - padding) W + kx - padding: one contiguous copy from the first pixel inside to the last, then the columns that
    // wrapped around a row's edge and the rows outside zeroed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnrollShifted<T>(Shape shape, (int Start, int End, int Shift) run, int lo, int hi, ReadOnlySpan<T> image, Span<T> line)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (start, end, shift) = run;
        ref var to = ref MemoryMarshal.GetReference(line);
        if (start >= end)
            end = start = 0;
        for (var j = 0; j < start; j++)
            Unsafe.Add(ref to, j) = T.Zero;
        CopyRun(ref Unsafe.Add(ref MemoryMarshal.GetReference(image), start + shift), ref Unsafe.Add(ref to, start), end - start);
        for (var j = end; j < shape.Pixels; j++)
            Unsafe.Add(ref to, j) = T.Zero;
        ClearWrapped(shape, start, end, lo, hi, line);
    }

    // col2im: the patches' cotangents added back onto the input pixels they came from (XBar, written for the block's
    // rows when `input`), and the time channel's summed into each row's TimeBar.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fold<T>(in Conv2dArgs<T> a, Shape shape, int first, int rows, T[] patchesBar, bool input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shifted = Shifts(a, shape);
        var columns = shape.Columns(rows);
        var image = a.Height * a.Width;
        var xBar = input ? HostViewAccess.Span(a.XBar, (long)first * a.In * image, rows * a.In * image) : [];
        xBar.Clear();
        var timeBar = a.TimeChannel != 0 ? HostViewAccess.Span(a.TimeBar, first, rows) : [];
        timeBar.Clear();
        var phases = a.Stride > 1 ? ArrayPool<T>.Shared.Rent(PhasesLength(a)) : [];
        for (var c = input ? 0 : a.TimeChannel; c < (input ? shape.Channels : a.TimeChannel); c++)
        {
            if (a.Stride > 1 && c >= a.TimeChannel)
            {
                for (var r = 0; r < rows; r++)
                    FoldPhases(a, shape, c, r, patchesBar, columns, phases, xBar.Slice((r * a.In + c - a.TimeChannel) * image, image));
                continue;
            }
            for (var ky = 0; ky < a.Kernel; ky++)
                for (var kx = 0; kx < a.Kernel; kx++)
                {
                    var line = patchesBar.AsSpan(((c * a.Kernel + ky) * a.Kernel + kx) * columns, columns);
                    var (lo, hi) = Inside(a, kx);
                    var run = shifted ? ShiftedRange(a, shape, ky, kx, lo, hi) : default;
                    for (var r = 0; r < rows; r++)
                    {
                        var from = line.Slice(r * shape.Pixels, shape.Pixels);
                        if (c < a.TimeChannel)
                            timeBar[r] += FoldRow(a, shape, ky, kx, lo, hi, from, []);
                        else if (shifted)
                            FoldShifted(shape, run, lo, hi, from, xBar.Slice((r * a.In + c - a.TimeChannel) * image, image));
                        else
                            FoldRow(a, shape, ky, kx, lo, hi, from, xBar.Slice((r * a.In + c - a.TimeChannel) * image, image));
                    }
                }
        }
        if (a.Stride > 1)
            ArrayPool<T>.Shared.Return(phases);
    }

    // UnrollPhases' inverse for row r and input channel c: each output row's run added onto its phase (vector adds, in
    // the kernel offsets' order, so each pixel's sum is FoldRow's), then the phases' inside written back to the image.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FoldPhases<T>(in Conv2dArgs<T> a, Shape shape, int c, int r, T[] patchesBar, int columns, T[] phases, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (s, height, width) = (a.Stride, PhaseHeight(a), PhaseWidth(a));
        var phase = height * width;
        phases.AsSpan(0, s * s * phase).Clear();
        for (var ky = 0; ky < a.Kernel; ky++)
            for (var kx = 0; kx < a.Kernel; kx++)
            {
                var from = patchesBar.AsSpan(((c * a.Kernel + ky) * a.Kernel + kx) * columns + r * shape.Pixels, shape.Pixels);
                var to = phases.AsSpan(((ky % s) * s + kx % s) * phase + ky / s * width + kx / s);
                for (var oy = 0; oy < shape.OutHeight; oy++)
                    AddRun(ref from[oy * shape.OutWidth], ref to[oy * width], shape.OutWidth);
            }
        Split(a, image, phases, toPhases: false);
    }

    // Copies an image's pixels into their phases (toPhases) or back; the phases' padding is left as it is.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Split<T>(in Conv2dArgs<T> a, Span<T> image, T[] phases, bool toPhases) where T : unmanaged
    {
        var (s, height, width) = (a.Stride, PhaseHeight(a), PhaseWidth(a));
        ref var pixels = ref MemoryMarshal.GetReference(image);
        ref var phase = ref MemoryMarshal.GetArrayDataReference(phases);
        for (var py = 0; py < s; py++)
            for (var px = 0; px < s; px++, phase = ref Unsafe.Add(ref phase, height * width))
            {
                // Phase rows and columns [lo, hi) lie inside the image: s y + py - padding in [0, Height).
                var (yLo, yHi) = PhaseRange(a.Padding - py, a.Height, s, height);
                var (xLo, xHi) = PhaseRange(a.Padding - px, a.Width, s, width);
                for (var y = yLo; y < yHi; y++)
                {
                    ref var run = ref Unsafe.Add(ref phase, y * width);
                    ref var source = ref Unsafe.Add(ref pixels, (y * s + py - a.Padding) * a.Width + px - a.Padding);
                    for (var x = xLo; x < xHi; x++)
                        if (toPhases)
                            Unsafe.Add(ref run, x) = Unsafe.Add(ref source, x * s);
                        else
                            Unsafe.Add(ref source, x * s) = Unsafe.Add(ref run, x);
                }
            }
    }

    // The indices i in [0, count) with s i - offset in [0, size): a phase's rows or columns inside the image.
    private static (int Lo, int Hi) PhaseRange(int offset, int size, int s, int count)
    {
        var lo = offset <= 0 ? 0 : (offset + s - 1) / s;
        var last = size - 1 + offset;
        var hi = last < 0 ? 0 : Math.Min(count, last / s + 1);
        return (lo, Math.Max(lo, hi));
    }

    // One row's patch line of channel (c, ky, kx) added back onto the image's pixels under the kernel's (ky, kx); with no
    // image (the time channel), the sum of the line over the pixels inside the image. Unchecked inside, as UnrollRow.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FoldRow<T>(in Conv2dArgs<T> a, Shape shape, int ky, int kx, int lo, int hi, ReadOnlySpan<T> line, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var source = ref MemoryMarshal.GetReference(line);
        ref var target = ref MemoryMarshal.GetReference(image);
        var sum = T.Zero;
        for (var oy = 0; oy < shape.OutHeight; oy++)
        {
            var iy = oy * a.Stride + ky - a.Padding;
            if (iy < 0 || iy >= a.Height)
                continue;
            ref var from = ref Unsafe.Add(ref source, oy * shape.OutWidth);
            if (image.IsEmpty)
            {
                for (var ox = lo; ox < hi; ox++)
                    sum += Unsafe.Add(ref from, ox);
                continue;
            }
            ref var to = ref Unsafe.Add(ref target, iy * a.Width + lo * a.Stride + kx - a.Padding);
            for (int ox = lo, q = 0; ox < hi; ox++, q += a.Stride)
                Unsafe.Add(ref to, q) += Unsafe.Add(ref from, ox);
        }
        return sum;
    }

    // UnrollShifted's inverse: the wrapped columns of the (scratch) line zeroed, then one contiguous vector add of the
    // line onto the image shifted; the zeros leave the pixels they land on as they were, so the sums are FoldRow's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FoldShifted<T>(Shape shape, (int Start, int End, int Shift) run, int lo, int hi, Span<T> line, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (start, end, shift) = run;
        if (start >= end)
            return;
        ClearWrapped(shape, start, end, lo, hi, line);
        AddRun(ref Unsafe.Add(ref MemoryMarshal.GetReference(line), start), ref Unsafe.Add(ref MemoryMarshal.GetReference(image), start + shift), end - start);
    }

    // to[0, length) = from[0, length) in whole vectors, the last one overlapping the one before where the run is not a
    // multiple (a copy may write an element twice); inline, since the runs are a few vectors long.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun<T>(ref T from, ref T to, int length) where T : unmanaged
    {
        var lanes = Vector<T>.Count;
        var k = 0;
        if (length >= lanes)
        {
            for (; k + lanes < length; k += lanes)
                DenseLanes.Store(DenseLanes.Load(ref from, k), ref to, k);
            DenseLanes.Store(DenseLanes.Load(ref from, length - lanes), ref to, length - lanes);
            return;
        }
        for (; k < length; k++)
            Unsafe.Add(ref to, k) = Unsafe.Add(ref from, k);
    }

    // to[0, length) += from[0, length), inline as CopyRun.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRun<T>(ref T from, ref T to, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        var k = 0;
        for (; k + lanes <= length; k += lanes)
            DenseLanes.Store(DenseLanes.Load(ref to, k) + DenseLanes.Load(ref from, k), ref to, k);
        for (; k < length; k++)
            Unsafe.Add(ref to, k) += Unsafe.Add(ref from, k);
    }

    // Whether the convolution's patch lines are shifted copies of its input images: stride 1, the output as wide.
    private static bool Shifts<T>(in Conv2dArgs<T> a, Shape shape) where T : unmanaged => a.Stride == 1 && a.Width == shape.OutWidth;

    // For a shifted convolution (Shifts): the line's range [start, end) from the first pixel inside the image to just past
    // the last, and the shift from a line position to its image pixel.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Start, int End, int Shift) ShiftedRange<T>(in Conv2dArgs<T> a, Shape shape, int ky, int kx, int lo, int hi) where T : unmanaged
    {
        var yLo = Math.Max(0, a.Padding - ky);
        var yHi = Math.Min(shape.OutHeight, a.Height + a.Padding - ky);
        var shift = (ky - a.Padding) * a.Width + kx - a.Padding;
        return yLo >= yHi || lo >= hi ? (0, 0, shift) : (yLo * shape.OutWidth + lo, (yHi - 1) * shape.OutWidth + hi, shift);
    }

    // Zeros the columns outside [lo, hi) of the line's rows within [start, end): those a flat shift wrapped around an edge
    // (the first row's left ones and the last row's right ones lie outside already).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ClearWrapped<T>(Shape shape, int start, int end, int lo, int hi, Span<T> line) where T : unmanaged
    {
        var width = shape.OutWidth;
        ref var row = ref MemoryMarshal.GetReference(line);
        for (var y = start / width; y <= (end - 1) / width; y++)
        {
            ref var left = ref Unsafe.Add(ref row, y * width);
            if (y > start / width)
                for (var x = 0; x < lo; x++)
                    Unsafe.Add(ref left, x) = default;
            if (y < (end - 1) / width)
                for (var x = hi; x < width; x++)
                    Unsafe.Add(ref left, x) = default;
        }
    }

    // The output columns [lo, hi) whose input column under kernel column kx lies inside the image.
    private static (int Lo, int Hi) Inside<T>(in Conv2dArgs<T> a, int kx) where T : unmanaged
    {
        var lo = Math.Max(0, (a.Padding - kx + a.Stride - 1) / a.Stride);
        var last = a.Width - 1 + a.Padding - kx;
        var hi = last < 0 ? 0 : Math.Min(a.OutWidth, last / a.Stride + 1);
        return (lo, Math.Max(lo, hi));
    }

    // to[j rows + i] = from[i columns + j]: a [rows x columns] matrix transposed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose<T>(ReadOnlySpan<T> from, int rows, int columns, Span<T> to) where T : unmanaged
    {
        for (var i = 0; i < rows; i++)
        {
            var row = from.Slice(i * columns, columns);
            for (var j = 0; j < columns; j++)
                to[j * rows + i] = row[j];
        }
    }

    // A convolution's sizes, and its rows cut into blocks of about BlockColumns columns.
    private readonly struct Shape
    {
        // `parts` > 1 evens the blocks out into a multiple of that many (the cores), no larger than BlockColumns asks.
        public Shape(int rows, int inputs, int kernel, int timeChannel, int outHeight, int outWidth, int parts = 1)
        {
            Rows = rows;
            Channels = timeChannel + inputs;
            Patch = Channels * kernel * kernel;
            OutHeight = outHeight;
            OutWidth = outWidth;
            Pixels = outHeight * outWidth;
            var perBlock = Math.Max(1, BlockColumns / Pixels);
            while (perBlock > 1 && (rows + perBlock - 1) / perBlock % parts != 0)
                perBlock--;
            RowsPerBlock = perBlock;
            Blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
        }

        public int Rows { get; }
        public int Channels { get; }
        public int Patch { get; }
        public int OutHeight { get; }
        public int OutWidth { get; }
        public int Pixels { get; }
        public int RowsPerBlock { get; }
        public int Blocks { get; }

        // Whether the weights' gradient is kept [patch x Out], a product across the output channels (the wider side,
        // but for a first layer's few input channels), rather than [Out x patch]: the narrower operand is transposed.
        public bool KeepsWeightsTransposed(int outputs) => Patch >= outputs;

        // A block's columns, rounded up to a whole tile of the products (the extra columns hold zeros).
        public int Columns(int rows) => (rows * Pixels + 15) / 16 * 16;

        public (int First, int Rows) Block(int b) => (b * RowsPerBlock, Math.Min(RowsPerBlock, Rows - b * RowsPerBlock));
    }
}
