using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>
/// Arguments of <see cref="BufferKernels"/>: the plumbing between a network's layers, a sum of two buffers (a residual
/// connection and its cotangent) and a copy of rows between buffers of different row strides (a solve's output times).
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct BufferArgs<T> : IElementArgs<BufferArgs<T>> where T : unmanaged
{
    /// <summary>The first operand, or the rows to copy.</summary>
    public ArrayView<T> A;

    /// <summary>The second operand of the sum.</summary>
    public ArrayView<T> B;

    /// <summary>Written: A + B, or the copied rows.</summary>
    public ArrayView<T> Target;

    /// <summary>Elements per copied row.</summary>
    public int Width;

    /// <summary>Elements from one row of A to the next.</summary>
    public int AStride;

    /// <summary>Where row 0 starts in A.</summary>
    public int AOffset;

    /// <summary>Elements from one row of Target to the next.</summary>
    public int TargetStride;

    /// <summary>Where row 0 starts in Target.</summary>
    public int TargetOffset;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly BufferArgs<T> From(long first) => this with { First = first };
}
