using System.Numerics;
using ILGPU;
using OdeGpu.Batched;

namespace OdeGpu.Adjoint;

/// <summary>
/// The continuous adjoint's augmented dynamics around a batch VJP: the augmented rows are split into z and a for the
/// dynamics, and its results joined into d[z, a, a_theta, a_t]/dt = [f, -a^T df/dz, -a^T df/dtheta, -a^T df/dt].
/// </summary>
public static class AdjointKernels
{
    /// <summary>Copies z and a of one element out of the augmented rows.</summary>
    public static void Split<T>(Index1D index, AdjointArgs<T> a) where T : unmanaged =>
        SplitAt<T>(index, a);

    /// <summary>Writes one element of the augmented derivative.</summary>
    public static void Join<T>(Index1D index, AdjointArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        JoinAt<T>(index, a);

    // The bodies at one index, the arguments by reference: the direct CPU launcher calls them without copying them.
    internal static void SplitAt<T>(Index1D index, in AdjointArgs<T> a) where T : unmanaged
    {
        var i = a.First + index;
        var dim = a.Layout.Dimension;
        var row = BatchIndex.Row(i, dim);
        var start = (long)row * a.Layout.Width + BatchIndex.Component(i, row, dim);
        a.Z[i] = a.Augmented[start];
        a.A[i] = a.Augmented[start + a.Layout.Adjoint];
    }

    internal static void JoinAt<T>(Index1D index, in AdjointArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = a.First + index;
        var layout = a.Layout;
        var row = BatchIndex.Row(i, layout.Width);
        var c = BatchIndex.Component(i, row, layout.Width);
        var dim = layout.Dimension;
        if (c < layout.Adjoint)
            a.Derivative[i] = a.F[(long)row * dim + c];
        else if (c < layout.ParameterAdjoint)
            a.Derivative[i] = -a.AdjointZ[(long)row * dim + c - layout.Adjoint];
        else if (c < layout.TimeAdjoint)
            a.Derivative[i] = -a.AdjointParameters[(long)row * layout.Parameters + c - layout.ParameterAdjoint];
        else
            a.Derivative[i] = -a.AdjointTime[row];
    }
}
