using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Flows;
using OdeGpu.Neural;
using OdeGpu.Precision;

namespace OdeGpu.Device;

/// <summary>
/// The operations that have two implementations: the ILGPU kernels every accelerator runs, and a SIMD twin the direct
/// CPU launcher runs instead, where scalar loops leave most of the core unused. Tests hold each twin to its kernels.
/// Keep this list short: only what profiles show to be bound by the inner products. The first two are a dense
/// network's passes over a batch of rows: the twins take a block of rows through every layer while it is in the cache,
/// the blocks spread over the cores. The next two are a continuous normalizing flow's augmented dynamics
/// (<see cref="CnfKernels"/>), whose twin works each slice's rows on spans (<see cref="CnfLanes"/>): through the
/// kernels' element accesses, these were bound by the accesses rather than the products. Then a convolutional
/// network's layers: the convolution and its VJP (im2col and matrix products in lanes, <see cref="Conv2dLanes"/>),
/// GroupNorm (<see cref="GroupNormLanes"/>), an activation over a buffer and the residual sum, the last three bound by
/// memory, where the element accesses cost more than the arithmetic. One twin lives outside this list because it is
/// generic over the user's system and so cannot be a fixed entry point: the fused ensemble kernel's
/// (<see cref="Ensemble.Simd.LaneKernels"/>, a group of trajectories per index on vector lanes), which the ensemble
/// solver picks per run and reports in its solution.
/// </summary>
public static class SimdPrimitives
{
    // Rows per block: the unit of work of a core and of the parameter gradient's deterministic partial sums.
    private const int RowsPerBlock = 128;

    /// <summary>
    /// The forward pass of a chain of dense layers: layer l's Z = W [t, x] + b and H = sigma(Z), with x layer 0's X or
    /// layer l - 1's H, sigma <typeparamref name="TActivation"/> on every layer but the last, which has none
    /// (<see cref="LinearLayerKernels.Forward"/> layer after layer). Each layer's X must be its predecessor's H. On the
    /// direct CPU launcher the twin computes each row's outputs in <see cref="Vector{T}"/> lanes: sums in another
    /// order, and fused multiply-adds, so results differ from the kernel's in their last bits.
    /// </summary>
    public static void MlpForward<T, TP, TActivation>(OdeDevice device, LinearLayerArgs<T>[] layers)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        if (!device.IsDirect || !Vector.IsHardwareAccelerated)
        {
            for (var l = 0; l < layers.Length; l++)
            {
                var layer = layers[l];
                if (l == layers.Length - 1)
                    device.LaunchElements(LinearLayerKernels.Forward<T, TP, Identity>, (long)layer.Rows * layer.Out, layer);
                else
                    device.LaunchElements(LinearLayerKernels.Forward<T, TP, TActivation>, (long)layer.Rows * layer.Out, layer);
            }
            return;
        }
        var host = layers.Select(l => new HostLayer<T>(l)).ToArray();
        ForEachBlock(layers[0].Rows, (first, end) => ForwardRows<T, TP, TActivation>(host, first, end));
    }

    /// <summary>
    /// The backward pass of the chain <see cref="MlpForward{T, TP, TActivation}"/> ran (its Z and H in place), from the last
    /// layer's HBar: every layer's ZBar, each layer's input cotangent (into its predecessor's HBar, and layer 0's XBar),
    /// each row's TimeBar through the time columns (written), and WBar and BBar summed over the rows (written). The
    /// kernels sum a parameter's gradient over the rows in row order; the twin sums blocks of rows, then the blocks in
    /// order, so it too gives the same numbers on every run, whatever the number of cores.
    /// </summary>
    public static void MlpBackward<T, TP, TActivation>(OdeDevice device, LinearLayerArgs<T>[] layers)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        if (!device.IsDirect || !Vector.IsHardwareAccelerated)
        {
            BackwardKernels<T, TP, TActivation>(device, layers);
            return;
        }
        var rows = layers[0].Rows;
        var blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
        var stride = layers.Sum(PartialLength);
        var partials = ArrayPool<T>.Shared.Rent(blocks * stride);
        try
        {
            var host = layers.Select(l => new HostLayer<T>(l)).ToArray();
            var offsets = PartialOffsets(layers);
            ForEachBlock(rows, (first, end) => BackwardRows<T, TP, TActivation>(host, offsets, first, end, partials.AsSpan(first / RowsPerBlock * stride, stride)));
            ReduceParameters(layers, offsets, partials, blocks, stride);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(partials);
        }
    }

    /// <summary>A flow's F over every slice of rows: <see cref="CnfKernels.Transpose"/>, then <see cref="CnfKernels.Evaluate"/>.</summary>
    public static void CnfEvaluate<T, TP, TActivation>(OdeDevice device, CnfArgs<T> args)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        if (device.IsDirect && Vector.IsHardwareAccelerated)
        {
            CnfLanes.Evaluate<T, TP, TActivation>(args);
            return;
        }
        device.Launch(CnfKernels.Transpose<T>, args.ParameterCount, args);
        device.Launch(CnfKernels.Evaluate<T, TP, TActivation>, args.Slices, args, parallelFrom: 1);
    }

    /// <summary>
    /// A flow's VJP over every slice of rows: <see cref="CnfKernels.Transpose"/>, <see cref="CnfKernels.Vjp"/>, and with
    /// <paramref name="sum"/> <see cref="CnfKernels.SumSlices"/> into ThetaBar. The twin sums the slices in the same order.
    /// </summary>
    public static void CnfVjp<T, TP, TActivation>(OdeDevice device, CnfArgs<T> args, bool sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        if (device.IsDirect && Vector.IsHardwareAccelerated)
        {
            CnfLanes.Vjp<T, TP, TActivation>(args, sum);
            return;
        }
        device.Launch(CnfKernels.Transpose<T>, args.ParameterCount, args);
        device.Launch(CnfKernels.Vjp<T, TP, TActivation>, args.Slices, args, parallelFrom: 1);
        if (sum)
            device.Launch(CnfKernels.SumSlices<T>, args.ParameterCount, args, parallelFrom: 1);
    }

    /// <summary>
    /// A convolution's forward pass (<see cref="Conv2dKernels.Forward{T, TP}"/>). The twin unrolls blocks of rows' patches
    /// and multiplies them by the weights in lanes (<see cref="Conv2dLanes"/>): sums in another order, and fused.
    /// </summary>
    public static void Conv2dForward<T, TP>(OdeDevice device, Conv2dArgs<T> args)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        if (device.IsDirect && Vector.IsHardwareAccelerated)
            Conv2dLanes.Forward<T, TP>(args);
        else
            device.LaunchElements(Conv2dKernels.Forward<T, TP>, (long)args.Rows * args.Out * args.OutHeight * args.OutWidth, args);
    }

    /// <summary>
    /// A convolution's VJP: WBar and BBar (when the layer has a bias) summed over the rows, TimeBar with a time channel,
    /// and XBar when <paramref name="input"/>. Both sum the parameters' gradients in an order fixed by the shapes alone.
    /// </summary>
    public static void Conv2dBackward<T, TP>(OdeDevice device, Conv2dArgs<T> args, bool input)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        if (device.IsDirect && Vector.IsHardwareAccelerated)
        {
            Conv2dLanes.Backward<T, TP>(args, input);
            return;
        }
        device.LaunchElements(Conv2dKernels.ParameterAdjoint<T, TP>, args.W.Length + args.B.Length, args, parallelFrom: 1);
        if (args.TimeChannel != 0)
            device.Launch(Conv2dKernels.TimeAdjoint<T>, args.Rows, args, parallelFrom: 1);
        if (input)
            device.LaunchElements(Conv2dKernels.InputAdjoint<T>, (long)args.Rows * args.In * args.Height * args.Width, args);
    }

    /// <summary>GroupNorm's forward pass: <see cref="GroupNormKernels.Statistics{T, TP}"/>, then <see cref="GroupNormKernels.Forward{T}"/>.</summary>
    public static void GroupNormForward<T, TP>(OdeDevice device, GroupNormArgs<T> args)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        if (device.IsDirect && Vector.IsHardwareAccelerated)
        {
            GroupNormLanes.Forward<T, TP>(args);
            return;
        }
        device.Launch(GroupNormKernels.Statistics<T, TP>, args.Rows * args.Groups, args, parallelFrom: 1);
        device.LaunchElements(GroupNormKernels.Forward<T>, (long)args.Rows * args.Channels * args.Pixels, args);
    }

    /// <summary>
    /// GroupNorm's VJP from the statistics of its forward pass: ParameterBar (gamma's then beta's, summed over the rows in
    /// an order fixed by the shapes), and XBar when <paramref name="input"/>.
    /// </summary>
    public static void GroupNormBackward<T, TP>(OdeDevice device, GroupNormArgs<T> args, bool input)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        if (device.IsDirect && Vector.IsHardwareAccelerated)
        {
            GroupNormLanes.Backward<T, TP>(args, input);
            return;
        }
        device.Launch(GroupNormKernels.ParameterAdjoint<T>, 2 * args.Channels, args, parallelFrom: 1);
        if (!input)
            return;
        device.Launch(GroupNormKernels.AdjointSums<T>, args.Rows * args.Groups, args, parallelFrom: 1);
        device.LaunchElements(GroupNormKernels.InputAdjoint<T, TP>, (long)args.Rows * args.Channels * args.Pixels, args);
    }

    /// <summary>Target = A + B over <paramref name="length"/> elements (<see cref="BufferKernels.Add{T}"/>): a residual connection and its cotangent.</summary>
    public static void Add<T>(OdeDevice device, BufferArgs<T> args, long length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (device.IsDirect && Vector.IsHardwareAccelerated)
            ForEachSpan(length, (start, count) => DenseLanes.Add<T>(HostViewAccess.Span(args.A, start, count), HostViewAccess.Span(args.B, start, count),
                HostViewAccess.Span(args.Target, start, count)));
        else
            device.LaunchElements(BufferKernels.Add<T>, length, args);
    }

    /// <summary>An activation over <paramref name="length"/> elements (<see cref="ActivationKernels.Forward{T, TActivation}"/>).</summary>
    public static void Activate<T, TActivation>(OdeDevice device, ActivationArgs<T> args, long length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
    {
        if (device.IsDirect && Vector.IsHardwareAccelerated)
            ForEachSpan(length, (start, count) => DenseLanes.Activate<T, TActivation>(HostViewAccess.Span(args.X, start, count), HostViewAccess.Span(args.Y, start, count)));
        else
            device.LaunchElements(ActivationKernels.Forward<T, TActivation>, length, args);
    }

    /// <summary>An activation's VJP over <paramref name="length"/> elements (<see cref="ActivationKernels.Adjoint{T, TActivation}"/>).</summary>
    public static void ActivationAdjoint<T, TActivation>(OdeDevice device, ActivationArgs<T> args, long length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
    {
        if (device.IsDirect && Vector.IsHardwareAccelerated)
            ForEachSpan(length, (start, count) => DenseLanes.PreActivationAdjoint<T, TActivation>(
                HostViewAccess.Span(args.X, start, count), HostViewAccess.Span(args.YBar, start, count), HostViewAccess.Span(args.XBar, start, count)));
        else
            device.LaunchElements(ActivationKernels.Adjoint<T, TActivation>, length, args);
    }

    private static void BackwardKernels<T, TP, TActivation>(OdeDevice device, LinearLayerArgs<T>[] layers)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        for (var l = layers.Length - 1; l >= 0; l--)
        {
            var layer = layers[l] with { AssignTime = l == layers.Length - 1 ? 1 : 0 };
            var rows = (long)layer.Rows;
            if (l == layers.Length - 1)
                device.LaunchElements(LinearLayerKernels.PreActivationAdjoint<T, Identity>, rows * layer.Out, layer);
            else
                device.LaunchElements(LinearLayerKernels.PreActivationAdjoint<T, TActivation>, rows * layer.Out, layer);
            layer.WBar.MemSetToZero();
            layer.BBar.MemSetToZero();
            if (layer.Squash != 0)
                layer.SquashBar.MemSetToZero();
            device.LaunchElements(LinearLayerKernels.ParameterAdjoint<T, TP>, layer.ParameterCount, layer, parallelFrom: 1);
            device.LaunchElements(LinearLayerKernels.TimeAdjoint<T, TP>, rows, layer);
            device.LaunchElements(LinearLayerKernels.InputAdjoint<T, TP>, rows * layer.In, layer);
        }
    }

    // Rows [first, end) through every layer, one row at a time: a row's activations stay in the cache between layers.
    private static void ForwardRows<T, TP, TActivation>(HostLayer<T>[] layers, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        var last = layers.Length - 1;
        for (var r = first; r < end; r++)
        {
            for (var l = 0; l <= last; l++)
            {
                var a = layers[l];
                var z = a.Z.Row(r);
                a.Bias.CopyTo(z);
                if (a.TimeColumn != 0)
                    DenseLanes.MultiplyAdd(TP.FromDouble(a.Time.Row(r)[0]), a.TimeWeights, z);
                DenseLanes.Product<T>(a.X.Row(r), a.In, a.ByInput, a.Out, a.ByOutput, a.Columns, z, a.Out);
                if (a.Squash)
                    DenseLanes.Squash(z, a.L.Row(r), a.G, a.C, a.D, TP.FromDouble(a.Time.Row(r)[0]));
                if (l == last)
                    z.CopyTo(a.H.Row(r));
                else
                    DenseLanes.Activate<T, TActivation>(z, a.H.Row(r));
            }
        }
    }

    // Rows [first, end) back through every layer, one row at a time; then each layer's parameter gradient over the
    // block, summed into `partial` in the layout of PartialLength.
    private static void BackwardRows<T, TP, TActivation>(HostLayer<T>[] layers, int[] offsets, int first, int end, Span<T> partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
        where TActivation : struct, IActivation
    {
        var last = layers.Length - 1;
        partial.Clear();
        Span<T> gateBar = stackalloc T[layers.Max(l => l.Out)];
        for (var r = first; r < end; r++)
        {
            var timeBar = T.Zero;
            for (var l = last; l >= 0; l--)
            {
                var a = layers[l];
                var zBar = a.ZBar.Row(r);
                if (l == last)
                    a.HBar.Row(r).CopyTo(zBar);
                else
                    DenseLanes.PreActivationAdjoint<T, TActivation>(a.Z.Row(r), a.HBar.Row(r), zBar);
                var lBar = zBar;
                if (a.Squash)
                {
                    var t = TP.FromDouble(a.Time.Row(r)[0]);
                    lBar = a.LBar.Row(r);
                    var sBar = gateBar[..a.Out];
                    timeBar += DenseLanes.Unsquash<T>(zBar, a.L.Row(r), a.G, a.C, a.D, t, lBar, sBar);
                    var squash = partial.Slice(offsets[l] + a.Out * a.Columns + a.Out, 3 * a.Out);
                    DenseLanes.MultiplyAdd(t, zBar, squash[..a.Out]);
                    DenseLanes.MultiplyAdd(t, sBar, squash.Slice(a.Out, a.Out));
                    DenseLanes.MultiplyAdd(T.One, sBar, squash[(2 * a.Out)..]);
                }
                var xBar = a.XBar.Row(r);
                xBar.Clear();
                DenseLanes.Product<T>(lBar, a.Out, a.ByOutput, a.Columns, a.ByInput, a.Out, xBar, a.In);
                if (a.TimeColumn != 0)
                    timeBar += DenseLanes.Dot<T>(lBar, a.TimeWeights);
            }
            if (layers[0].TimeBar.Exists)
                layers[0].TimeBar.Row(r)[0] = timeBar;
        }
        for (var l = 0; l <= last; l++)
            BlockParameters<T, TP>(layers[l], first, end, partial.Slice(offsets[l], layers[l].Out * layers[l].Columns + layers[l].Out));
    }

    // A layer's dL/dW and dL/db summed over rows [first, end): the rows' [t, x] against their LBar (ZBar unless
    // squashed), the wider of the two in lanes.
    private static void BlockParameters<T, TP>(HostLayer<T> a, int first, int end, Span<T> partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        var rows = end - first;
        var zBar = a.Squash ? a.LBar.Rows(first, rows) : a.ZBar.Rows(first, rows);
        var scratch = a.TimeColumn == 0 ? null : ArrayPool<T>.Shared.Rent(rows * a.Columns);
        try
        {
            ReadOnlySpan<T> inputs = a.X.Rows(first, rows);
            if (scratch is not null)
            {
                for (var r = 0; r < rows; r++)
                {
                    scratch[r * a.Columns] = TP.FromDouble(a.Time.Row(first + r)[0]);
                    a.X.Row(first + r).CopyTo(scratch.AsSpan(r * a.Columns + 1, a.In));
                }
                inputs = scratch.AsSpan(0, rows * a.Columns);
            }
            var weights = partial[..(a.Out * a.Columns)];
            if (a.Out >= a.Columns)
                DenseLanes.OuterSum<T>(inputs, a.Columns, zBar, a.Out, rows, weights, a.Out);
            else
                DenseLanes.OuterSum<T>(zBar, a.Out, inputs, a.Columns, rows, weights, a.Columns);
            var bias = partial[(a.Out * a.Columns)..];
            for (var r = 0; r < rows; r++)
                DenseLanes.MultiplyAdd(T.One, zBar.Slice(r * a.Out, a.Out), bias);
        }
        finally
        {
            if (scratch is not null)
                ArrayPool<T>.Shared.Return(scratch);
        }
    }

    // WBar and BBar of every layer: the blocks' partial sums added in block order, each layer's weights from the
    // layout its partial sums were kept in.
    private static void ReduceParameters<T>(LinearLayerArgs<T>[] layers, int[] offsets, T[] partials, int blocks, int stride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var total = new T[stride];
        for (var b = 0; b < blocks; b++)
            DenseLanes.MultiplyAdd(T.One, partials.AsSpan(b * stride, stride), total);
        for (var l = 0; l < layers.Length; l++)
        {
            var a = layers[l];
            var columns = a.TimeColumn + a.In;
            var sums = total.AsSpan(offsets[l], PartialLength(a));
            var wBar = Host(a.WBar, 0, a.Out * columns);
            for (var o = 0; o < a.Out; o++)
                for (var c = 0; c < columns; c++)
                    wBar[o * columns + c] = a.Out >= columns ? sums[c * a.Out + o] : sums[o * columns + c];
            sums.Slice(a.Out * columns, a.Out).CopyTo(Host(a.BBar, 0, a.Out));
            if (a.Squash != 0)
                sums[(a.Out * columns + a.Out)..].CopyTo(Host(a.SquashBar, 0, 3 * a.Out));
        }
    }

    // A layer's partial sums: its weights, [columns x Out] when the outputs are the wider side (so that they run in
    // lanes), else [Out x columns]; then its bias, and a squash's d, g and c.
    private static int PartialLength<T>(LinearLayerArgs<T> a) where T : unmanaged => (int)a.ParameterCount;

    private static int[] PartialOffsets<T>(LinearLayerArgs<T>[] layers) where T : unmanaged =>
        [.. Enumerable.Range(0, layers.Length).Select(l => layers.Take(l).Sum(PartialLength))];

    // Blocks of rows over the cores, or on this thread when there is one block.
    private static void ForEachBlock(int rows, Action<int, int> body)
    {
        var blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
        if (blocks > 1 && Environment.ProcessorCount > 1)
            Parallel.For(0, blocks, b => body(b * RowsPerBlock, Math.Min(rows, (b + 1) * RowsPerBlock)));
        else
            body(0, rows);
    }

    // Elements [0, length) in pieces of 64 Ki over the cores.
    private static void ForEachSpan(long length, Action<long, int> body)
    {
        const int Piece = 1 << 16;
        var pieces = (int)((length + Piece - 1) / Piece);
        Parallel.For(0, pieces, p => body((long)p * Piece, (int)Math.Min(Piece, length - (long)p * Piece)));
    }

    // The host memory behind a view of the direct launcher.
    private static Span<T> Host<T>(ArrayView<T> view, long start, int length) where T : unmanaged =>
        length == 0 ? [] : MemoryMarshal.CreateSpan(ref HostViewAccess.At(view, start), length);

    // A view's host memory as rows of `width` elements, its address taken once per pass rather than per row.
    private readonly unsafe struct HostRows<T>(ArrayView<T> view, int width) where T : unmanaged
    {
        private readonly T* _start = view.Length == 0 ? null : (T*)view.LoadEffectiveAddressAsPtr();
        private readonly long _length = view.Length;

        public bool Exists => _start != null;

        public Span<T> Row(int r) => Rows(r, 1);

        // Rows [first, first + count) together.
        public Span<T> Rows(int first, int count) => (ulong)((first + (long)count) * width) <= (ulong)_length
            ? new Span<T>(_start + (long)first * width, count * width)
            : throw new IndexOutOfRangeException($"rows {first} to {first + count} of {width} elements are outside a view of {_length}");
    }

    // A layer on the host for one pass: its weights in both layouts (W as given, [Out x columns], and transposed,
    // [columns x Out]) and its buffers as rows.
    private sealed class HostLayer<T> where T : unmanaged
    {
        private readonly T[] _w, _transposed;

        public HostLayer(LinearLayerArgs<T> a)
        {
            (In, Out, TimeColumn, Columns) = (a.In, a.Out, a.TimeColumn, a.TimeColumn + a.In);
            _w = Host(a.W, 0, (int)a.W.Length).ToArray();
            Bias = Host(a.B, 0, a.Out).ToArray();
            _transposed = new T[_w.Length];
            for (var o = 0; o < Out; o++)
                for (var c = 0; c < Columns; c++)
                    _transposed[c * Out + o] = _w[o * Columns + c];
            (X, XBar) = (new(a.X, In), new(a.XBar, In));
            (Z, H, ZBar, HBar) = (new(a.Z, Out), new(a.H, Out), new(a.ZBar, Out), new(a.HBar, Out));
            (Time, TimeBar) = (new(a.Time, 1), new(a.TimeBar, 1));
            Squash = a.Squash != 0;
            (D, G, C) = Squash ? (Host(a.D, 0, Out).ToArray(), Host(a.G, 0, Out).ToArray(), Host(a.C, 0, Out).ToArray()) : ([], [], []);
            (L, LBar) = (new(a.L, Out), new(a.LBar, Out));
        }

        public bool Squash { get; }

        // ConcatSquash's time weights, gate weights and gate biases.
        public T[] D { get; }

        public T[] G { get; }

        public T[] C { get; }

        public HostRows<T> L { get; }

        public HostRows<T> LBar { get; }

        public int In { get; }

        public int Out { get; }

        public int TimeColumn { get; }

        public int Columns { get; }

        public T[] Bias { get; }

        public HostRows<T> X { get; }

        public HostRows<T> XBar { get; }

        public HostRows<T> Z { get; }

        public HostRows<T> H { get; }

        public HostRows<T> ZBar { get; }

        public HostRows<T> HBar { get; }

        public HostRows<double> Time { get; }

        public HostRows<T> TimeBar { get; }

        // The time column's weights, one per output.
        public ReadOnlySpan<T> TimeWeights => _transposed.AsSpan(0, TimeColumn * Out);

        // The input columns' weights transposed, [In x Out]: row i holds input i's weight to every output.
        public ReadOnlySpan<T> ByInput => _transposed.AsSpan(TimeColumn * Out);

        // W's rows from the first input column, [Out x columns]: row o holds output o's weight from every input.
        public ReadOnlySpan<T> ByOutput => _w.AsSpan(TimeColumn);
    }
}
