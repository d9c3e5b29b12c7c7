using System.Numerics;
using ILGPU;

namespace OdeGpu.Neural;

/// <summary>Elementwise plumbing between layers: sums of buffers and copies of rows between row strides.</summary>
public static class BufferKernels
{
    /// <summary>Target[i] = A[i] + B[i].</summary>
    public static void Add<T>(Index1D index, BufferArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = a.First + index;
        a.Target[i] = a.A[i] + a.B[i];
    }

    /// <summary>Element (r, j) of Width per row: Target[r TargetStride + TargetOffset + j] = A[r AStride + AOffset + j].</summary>
    public static void CopyRows<T>(Index1D index, BufferArgs<T> a) where T : unmanaged
    {
        var e = a.First + index;
        var row = e / a.Width;
        var j = e % a.Width;
        a.Target[row * a.TargetStride + a.TargetOffset + j] = a.A[row * a.AStride + a.AOffset + j];
    }
}
