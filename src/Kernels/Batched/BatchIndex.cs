using System.Runtime.CompilerServices;

namespace OdeGpu.Batched;

/// <summary>
/// Index arithmetic of the batched layout, in 64 bits: rows x dim, stages x rows x dim and rows x outputs x dim pass
/// 2^31 in large batches although each factor fits an int.
/// </summary>
public static class BatchIndex
{
    /// <summary>Elements of a [rows x dim] buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Elements(int rows, int dimension) => (long)rows * dimension;

    /// <summary>The row that element <paramref name="element"/> of a [rows x dim] buffer belongs to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Row(long element, int dimension) => (int)(element / dimension);

    /// <summary>The component of element <paramref name="element"/> within its row <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Component(long element, int row, int dimension) => (int)(element - (long)row * dimension);

    /// <summary>Element <paramref name="element"/> of stage <paramref name="stage"/> in [stage][rows x dim], each stage <paramref name="length"/> long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Stage(int stage, long length, long element) => stage * length + element;

    /// <summary>The first element of output <paramref name="output"/> of row <paramref name="row"/> in [rows][outputs][dim].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Output(int row, int outputCount, int output, int dimension) => ((long)row * outputCount + output) * dimension;
}
