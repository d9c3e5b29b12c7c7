using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace OdeGpu.Device;

/// <summary>
/// One accelerator and the way kernels are launched on it. Kernels are implicitly grouped static methods
/// <c>void K(Index1D i, TArgs args)</c>; on a GPU they are loaded once and cached, on the CPU they are
/// called directly (see <see cref="CpuLauncher"/>). Dispose to free the accelerator.
/// </summary>
public sealed class OdeDevice : IDisposable
{
    /// <summary>Most indices of one launch by <see cref="LaunchElements{TArgs}"/>: a power of two well inside an int.</summary>
    public const int MaxLaunch = 1 << 30;

    // Elements per part of a parallel Fill.
    private const long FillPart = 1 << 18;

    // Rows transposed together by DownloadTransposed: their elements span a few hundred kilobytes, so the strided writes
    // stay in the cache (row by row over a whole ensemble, each write touched a new page).
    private const int TransposeBlock = 64;

    // Below this many indices a plain loop beats Parallel.For's scheduling cost.
    private const int ParallelThreshold = 4096;

    // Parallel.For hands out chunks of a launch as cores free up. Most kernels do the same work at every index, and 4
    // chunks per core keep its scheduling cost small; where indices differ widely in work (an ensemble slice's groups
    // of adaptive trajectories, some finished and some stiff), one core sat idle at the end of every slice with 4:
    // L1(b) on 2 cores ran at 1.46x its one-core rate, and at 1.8x with 32.
    private const int ChunksPerCore = 4;
    private const int ChunksPerCoreOfUnevenWork = 32;

    // A kernel's method handle -> the entry point of its by-reference body, or 0 when it has none.
    private static readonly ConcurrentDictionary<nint, nint> ByReferenceBodies = new();

    private readonly Context _context;
    private readonly ConcurrentDictionary<MethodInfo, Delegate> _kernels = new();
    private readonly ConcurrentDictionary<Type, Delegate> _reductions = new();
    private readonly List<(WeakReference<MemoryBuffer> Buffer, long Bytes)> _live = [];
    private long _allocations, _peakBytes, _liveBytes;
    private int _pruned;

    // Up to this many buffers every allocation prunes the disposed ones, so that the peak is exact; past it, pruning
    // waits until the list has doubled (the bytes since counted as held), so that holding many buffers (a discrete
    // adjoint's kept evaluations) does not cost every allocation a walk over all of them.
    private const int ExactPeakBuffers = 1024;

    private OdeDevice(Context context, Accelerator accelerator, DeviceKind kind, CpuLauncher launcher)
    {
        _context = context;
        Accelerator = accelerator;
        Kind = kind;
        Launcher = launcher;
    }

    /// <summary>The ILGPU accelerator that owns this device's buffers.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The backend in use.</summary>
    public DeviceKind Kind { get; }

    /// <summary>How kernels run on the CPU; <see cref="CpuLauncher.Accelerator"/> on GPUs.</summary>
    public CpuLauncher Launcher { get; }

    /// <summary>True when kernel bodies are called directly on the host.</summary>
    public bool IsDirect => Kind == DeviceKind.Cpu && Launcher == CpuLauncher.Direct;

    /// <summary>A short description such as "cuda: NVIDIA H100" or "cpu (direct launcher)".</summary>
    public string Description => Kind == DeviceKind.Cpu
        ? $"cpu ({Environment.ProcessorCount} cores, {(IsDirect ? "direct" : "ILGPU accelerator")} launcher)"
        : $"{Kind.ToString().ToLowerInvariant()}: {Accelerator.Name}";

    /// <summary>
    /// Opens a device. Without <paramref name="kind"/>, <c>ODEGPU_DEVICE</c> decides, else CUDA, then OpenCL, then the CPU.
    /// </summary>
    /// <param name="kind">The backend to force, or null to pick.</param>
    /// <param name="cpuLauncher">How kernels run when the device is the CPU.</param>
    /// <exception cref="InvalidOperationException">A forced backend has no usable device here.</exception>
    public static OdeDevice Open(DeviceKind? kind = null, CpuLauncher cpuLauncher = CpuLauncher.Direct)
    {
        var forced = kind ?? DeviceCatalog.Forced();
        var context = CreateContext();
        try
        {
            var device = forced is { } k ? Find(context, k) : Pick(context);
            var actualKind = KindOf(device);
            var accelerator = device.CreateAccelerator(context);
            return new OdeDevice(context, accelerator, actualKind, actualKind == DeviceKind.Cpu ? cpuLauncher : CpuLauncher.Accelerator);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>An ILGPU context with every backend OdeGpu supports and ILGPU.Algorithms' intrinsics (Math.Exp on GPUs).</summary>
    public static Context CreateContext() => Context.Create(b => b
        .CPU()
        .Cuda()
        .OpenCL(d => DeviceCatalog.OpenCLRefusal(d.CVersion.ToString(), d.Capabilities.GenericAddressSpace, d.Capabilities.Float64) is null)
        .Optimize(OptimizationLevel.O1)
        .EnableAlgorithms());

    /// <summary>Buffers allocated through this device so far: a reusable solver must not add to it after its first solve.</summary>
    public long Allocations => Interlocked.Read(ref _allocations);

    /// <summary>Bytes held now by the buffers allocated through this device and not yet disposed.</summary>
    public long LiveBytes
    {
        get
        {
            lock (_live)
                return Prune();
        }
    }

    /// <summary>
    /// The most bytes held at once by this device's buffers since it opened or since <see cref="ResetPeak"/>: exact while
    /// it holds up to 1,024 buffers; beyond, buffers disposed since the list was last pruned (at each doubling) may
    /// still count.
    /// </summary>
    public long PeakBytes
    {
        get
        {
            lock (_live)
                return _peakBytes;
        }
    }

    /// <summary>Starts a new peak from the bytes held now (to measure one computation's peak).</summary>
    public void ResetPeak()
    {
        lock (_live)
            _peakBytes = Prune();
    }

    /// <summary>Allocates an uninitialised buffer of <paramref name="length"/> elements.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Allocate<T>(long length) where T : unmanaged
    {
        Interlocked.Increment(ref _allocations);
        var buffer = Accelerator.Allocate1D<T>(Math.Max(length, 1));
        lock (_live)
        {
            _live.Add((new WeakReference<MemoryBuffer>(buffer), buffer.LengthInBytes));
            if (_live.Count <= ExactPeakBuffers || _live.Count >= 2 * _pruned)
                Prune();
            else
                _liveBytes += buffer.LengthInBytes;
            // memory only grows at an allocation, so the peak is seen here
            _peakBytes = Math.Max(_peakBytes, _liveBytes);
        }
        return buffer;
    }

    /// <summary>Allocates a buffer holding a copy of <paramref name="data"/>.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(T[] data) where T : unmanaged
    {
        var buffer = Allocate<T>(data.Length);
        if (data.Length > 0)
            buffer.View.SubView(0, data.Length).CopyFromCPU(data);
        return buffer;
    }

    /// <summary>
    /// Sets every element of <paramref name="view"/> to <paramref name="value"/>: in place with the direct launcher,
    /// elsewhere from a host array. A large output buffer is then touched once on the CPU, not three times (host array,
    /// fill, copy), which matters where first touches of memory are slow (10 us a page in a virtual machine).
    /// </summary>
    public unsafe void Fill<T>(ArrayView<T> view, T value) where T : unmanaged
    {
        if (view.Length == 0)
            return;
        if (IsDirect)
        {
            // In parts over the cores: the first touch of each page, not the stores, is most of the time.
            var start = view.LoadEffectiveAddressAsPtr();
            var parts = (view.Length + FillPart - 1) / FillPart;
            Parallel.For(0, parts, p => new Span<T>((T*)start + p * FillPart, (int)Math.Min(FillPart, view.Length - p * FillPart)).Fill(value));
            return;
        }
        var host = new T[view.Length];
        Array.Fill(host, value);
        view.CopyFromCPU(host);
    }

    /// <summary>
    /// The elements of <paramref name="view"/>, laid out [column][row], as a new host array laid out [row][column] (the
    /// fused kernel's component-major outputs as rows of trajectories), after the work queued before it: with the direct
    /// launcher straight from the view's memory, elsewhere from a downloaded copy; blocks of rows in parallel.
    /// </summary>
    /// <exception cref="ArgumentException">The view does not hold <paramref name="rows"/> x <paramref name="columns"/> elements.</exception>
    public unsafe T[] DownloadTransposed<T>(ArrayView<T> view, int rows, long columns) where T : unmanaged
    {
        if (view.Length != rows * columns)
            throw new ArgumentException($"view must hold rows x columns = {rows * columns} elements, but holds {view.Length}", nameof(view));
        var result = new T[view.Length];
        if (view.Length == 0)
            return result;
        if (IsDirect)
        {
            Transpose((T*)view.LoadEffectiveAddressAsPtr(), result, rows, columns);
            return result;
        }
        var copy = Download(view);
        fixed (T* source = copy)
            Transpose(source, result, rows, columns);
        return result;
    }

    /// <summary>Copies <paramref name="view"/> to a new host array, after the work queued before it.</summary>
    public T[] Download<T>(ArrayView<T> view) where T : unmanaged
    {
        var result = new T[view.Length];
        Read(view, result);
        return result;
    }

    /// <summary>
    /// Copies <paramref name="view"/> into the start of <paramref name="target"/>, after the work queued before it. With
    /// the direct launcher the work is already done and the view is host memory, so this is a plain memory copy: ILGPU's
    /// own copy wraps the target in a temporary buffer under a lock, about 1 us, which a per-step readback would pay.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> is shorter than the view.</exception>
    public unsafe void Read<T>(ArrayView<T> view, T[] target) where T : unmanaged
    {
        if (target.Length < view.Length)
            throw new ArgumentException($"target must hold at least {view.Length} values, but holds {target.Length}", nameof(target));
        if (view.Length == 0)
            return;
        if (IsDirect)
            new ReadOnlySpan<T>((void*)view.LoadEffectiveAddressAsPtr(), checked((int)view.Length)).CopyTo(target);
        else
            view.CopyToCPU(target.AsSpan(0, checked((int)view.Length)));
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> for every index in [0, <paramref name="length"/>). The kernel must be a static
    /// method; on a GPU it is compiled on first use and cached for the lifetime of this device.
    /// </summary>
    /// <param name="kernel">The kernel body.</param>
    /// <param name="length">Number of indices.</param>
    /// <param name="args">The kernel's arguments.</param>
    /// <param name="parallelFrom">With the direct launcher, the length from which indices are spread over the cores
    /// (default 4096, where Parallel.For starts to pay for light kernels; heavy kernels pass less).</param>
    /// <param name="unevenWork">With the direct launcher, whether the indices' work differs widely (an ensemble's
    /// trajectories): the cores then take smaller shares, so that none waits long for the last.</param>
    public void Launch<TArgs>(Action<Index1D, TArgs> kernel, int length, in TArgs args, int parallelFrom = ParallelThreshold, bool unevenWork = false)
        where TArgs : struct
    {
        if (length <= 0)
            return;
        if (IsDirect)
            LaunchDirect(kernel, length, in args, parallelFrom, unevenWork);
        else
            Load(kernel)(length, args);
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> for every row in [0, <paramref name="rows"/>), a kernel whose index loops over a
    /// row of <paramref name="width"/> elements: with the direct launcher the rows are spread over the cores once they
    /// hold as many elements as <see cref="Launch{TArgs}"/> spreads, so a few wide rows (a batch of images) are not left
    /// to one core.
    /// </summary>
    /// <param name="kernel">The kernel body, over rows.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="width">Elements each row's index works on.</param>
    /// <param name="args">The kernel's arguments.</param>
    public void LaunchRows<TArgs>(Action<Index1D, TArgs> kernel, int rows, int width, in TArgs args) where TArgs : struct =>
        Launch(kernel, rows, args, Math.Max(1, ParallelThreshold / Math.Max(1, width)));

    /// <summary>
    /// Runs <paramref name="kernel"/> for every element in [0, <paramref name="length"/>), in launches of at most
    /// <see cref="MaxLaunch"/> indices, each with the arguments <see cref="IElementArgs{TSelf}.From"/> its first element.
    /// </summary>
    /// <param name="kernel">The kernel body; it works on element <c>first + index</c>.</param>
    /// <param name="length">Number of elements, which may pass 2^31.</param>
    /// <param name="args">The kernel's arguments.</param>
    /// <param name="parallelFrom">As for <see cref="Launch{TArgs}"/>.</param>
    public void LaunchElements<TArgs>(Action<Index1D, TArgs> kernel, long length, in TArgs args, int parallelFrom = ParallelThreshold)
        where TArgs : struct, IElementArgs<TArgs>
    {
        for (long first = 0; first < length; first += MaxLaunch)
            Launch(kernel, SliceLength(length, first), args.From(first), parallelFrom);
    }

    /// <summary>The length of the launch that starts at <paramref name="first"/> (a multiple of MaxLaunch) of <paramref name="length"/> elements.</summary>
    public static int SliceLength(long length, long first) => (int)Math.Min(MaxLaunch, length - first);

    /// <summary>
    /// Reduces <paramref name="values"/> with <typeparamref name="TOp"/> (ILGPU.Algorithms' AddInt64, MaxInt32, ...)
    /// into <c>result[0]</c>, overwriting it; an empty view gives the operation's identity. Accelerators run
    /// ILGPU.Algorithms' grid reduction (one atomic per group); the direct launcher, whose buffers are host memory and
    /// which cannot run group intrinsics, loops on the host.
    /// </summary>
    /// <param name="values">The values to reduce.</param>
    /// <param name="result">Receives the reduced value in its first element.</param>
    public void Reduce<T, TOp>(ArrayView<T> values, ArrayView<T> result)
        where T : unmanaged
        where TOp : struct, IScanReduceOperation<T>
    {
        var op = default(TOp);
        if (IsDirect)
        {
            var reduced = op.Identity;
            for (long i = 0; i < values.Length; i++)
                reduced = op.Apply(reduced, HostViewAccess.At(values, i));
            HostViewAccess.At(result, 0) = reduced;
            return;
        }
        if (values.Length == 0)
        {
            result.SubView(0, 1).CopyFromCPU([op.Identity]);
            return;
        }
        var reduction = (Reduction<T, Stride1D.Dense>)_reductions.GetOrAdd(typeof(TOp), _ => Accelerator.CreateReduction<T, Stride1D.Dense, TOp>());
        reduction(Accelerator.DefaultStream, values, result.SubView(0, 1));
    }

    /// <summary>Waits for every queued kernel and copy.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <inheritdoc />
    public void Dispose()
    {
        _kernels.Clear();
        _reductions.Clear();
        Accelerator.Dispose();
        _context.Dispose();
    }

    // The kernel is called through a function pointer: a delegate to a static method goes through a shuffle thunk that
    // copies the argument struct with GC write barriers, which cost more than small kernels themselves (measured: half
    // the time of a 20-row batched solve).
    private static unsafe void LaunchDirect<TArgs>(Action<Index1D, TArgs> kernel, int length, in TArgs args, int parallelFrom, bool unevenWork) where TArgs : struct
    {
        var byReference = ByReferenceBody(kernel.Method);
        var byValue = kernel.Method.MethodHandle.GetFunctionPointer();
        if (length >= Math.Max(parallelFrom, 2) && Environment.ProcessorCount > 1)
        {
            LaunchParallel(byReference, byValue, length, args, parallelFrom, unevenWork);
            return;
        }
        RunRange(byReference, byValue, 0, length, in args);
    }

    // Indices [start, end) on this thread: through the by-reference body when the kernel has one (no copy of the
    // arguments per index), else through the kernel itself.
    private static unsafe void RunRange<TArgs>(nint byReference, nint byValue, int start, int end, in TArgs args) where TArgs : struct
    {
        if (byReference != 0)
        {
            var body = (delegate*<Index1D, in TArgs, void>)byReference;
            for (var i = start; i < end; i++)
                body(new Index1D(i), in args);
            return;
        }
        var kernel = (delegate*<Index1D, TArgs, void>)byValue;
        for (var i = start; i < end; i++)
            kernel(new Index1D(i), args);
    }

    // Forgets disposed and collected buffers; returns the bytes of the others. Called under the lock.
    private long Prune()
    {
        _live.RemoveAll(b => !b.Buffer.TryGetTarget(out var buffer) || buffer.IsDisposed);
        _pruned = _live.Count;
        return _liveBytes = _live.Sum(b => b.Bytes);
    }

    // A kernel K that forwards to an internal K + "At" taking its arguments by reference can be called per index
    // without copying them: a by-value argument struct is copied with GC write barriers on every call, which costs
    // more than the small per-step kernels of a batched solve (measured: 40 % of a 20-row solve). A body with one more
    // type parameter than its kernel takes an IViewAccess last, here the host's; others read views through ILGPU.
    private static nint ByReferenceBody(MethodInfo kernel)
    {
        var key = kernel.MethodHandle.Value;
        if (ByReferenceBodies.TryGetValue(key, out var at))
            return at;
        var body = kernel.DeclaringType?.GetMethod(kernel.Name + "At", BindingFlags.NonPublic | BindingFlags.Static);
        Type[] arguments = kernel.IsGenericMethod ? kernel.GetGenericArguments() : [];
        if (body is { IsGenericMethodDefinition: true })
            body = body.MakeGenericMethod(body.GetGenericArguments().Length > arguments.Length ? [.. arguments, typeof(HostViewAccess)] : arguments);
        return ByReferenceBodies[key] = body?.MethodHandle.GetFunctionPointer() ?? 0;
    }

    private static unsafe void Transpose<T>(T* source, T[] target, int rows, long columns) where T : unmanaged
    {
        var from = (nint)source;
        Parallel.For(0, (rows + TransposeBlock - 1) / TransposeBlock, block =>
        {
            var s = (T*)from;
            var (first, end) = (block * TransposeBlock, Math.Min(rows, (block + 1) * TransposeBlock));
            for (long c = 0; c < columns; c++)
                for (var i = first; i < end; i++)
                    target[i * columns + c] = s[c * rows + i];
        });
    }

    // Kept apart so that the closure Parallel.For needs is allocated only when the cores are used.
    private static void LaunchParallel<TArgs>(nint byReference, nint byValue, int length, TArgs args, int parallelFrom, bool unevenWork) where TArgs : struct
    {
        var grain = Math.Max(1, Math.Min(parallelFrom, ParallelThreshold));
        var perCore = unevenWork ? ChunksPerCoreOfUnevenWork : ChunksPerCore;
        var chunks = Math.Min(Environment.ProcessorCount * perCore, (length + grain - 1) / grain);
        var chunk = (length + chunks - 1) / chunks;
        Parallel.For(0, chunks, c => RunRange(byReference, byValue, c * chunk, Math.Min(length, (c + 1) * chunk), in args));
    }

    private Action<Index1D, TArgs> Load<TArgs>(Action<Index1D, TArgs> kernel) where TArgs : struct =>
        (Action<Index1D, TArgs>)_kernels.GetOrAdd(kernel.Method, _ => Accelerator.LoadAutoGroupedStreamKernel(kernel));

    private static ILGPU.Runtime.Device Pick(Context context) =>
        context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.Cuda)
        ?? context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.OpenCL)
        ?? context.GetCPUDevice(0);

    private static ILGPU.Runtime.Device Find(Context context, DeviceKind kind)
    {
        if (kind == DeviceKind.Cpu)
            return context.GetCPUDevice(0);
        var type = kind == DeviceKind.Cuda ? AcceleratorType.Cuda : AcceleratorType.OpenCL;
        return context.Devices.FirstOrDefault(d => d.AcceleratorType == type)
            ?? throw new InvalidOperationException(
                $"device '{kind.ToString().ToLowerInvariant()}' was requested but none is usable here; run 'odegpu devices' to see what was found and why devices were refused");
    }

    private static DeviceKind KindOf(ILGPU.Runtime.Device device) => device.AcceleratorType switch
    {
        AcceleratorType.Cuda => DeviceKind.Cuda,
        AcceleratorType.OpenCL => DeviceKind.OpenCL,
        _ => DeviceKind.Cpu,
    };
}
