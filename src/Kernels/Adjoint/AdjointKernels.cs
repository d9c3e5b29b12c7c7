using System.Numerics;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Device;

namespace OdeGpu.Adjoint;

/// <summary>
/// The continuous adjoint's augmented dynamics around a batch VJP: the augmented rows are split into z and a for the
/// dynamics, and its results joined into d[z, a, a_theta, a_t]/dt = [f, -a^T df/dz, -a^T df/dtheta, -a^T df/dt].
/// </summary>
public static class AdjointKernels
{
    /// <summary>Copies z and a of one element out of the augmented rows.</summary>
    public static void Split<T>(Index1D index, AdjointArgs<T> a) where T : unmanaged =>
        SplitAt<T, ViewIndexer>(index, a);

    /// <summary>Writes one element of the augmented derivative.</summary>
    public static void Join<T>(Index1D index, AdjointArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        JoinAt<T, ViewIndexer>(index, a);

    // The bodies at one index, the arguments by reference: the direct CPU launcher calls them without copying them.
    internal static void SplitAt<T, TAccess>(Index1D index, in AdjointArgs<T> a)
        where T : unmanaged
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var dim = a.Layout.Dimension;
        var row = BatchIndex.Row(i, dim);
        var start = (long)row * a.Layout.Width + BatchIndex.Component(i, row, dim);
        TAccess.At(a.Z, i) = TAccess.At(a.Augmented, start);
        TAccess.At(a.A, i) = TAccess.At(a.Augmented, start + a.Layout.Adjoint);
    }

    internal static void JoinAt<T, TAccess>(Index1D index, in AdjointArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var layout = a.Layout;
        var row = BatchIndex.Row(i, layout.Width);
        var c = BatchIndex.Component(i, row, layout.Width);
        var dim = layout.Dimension;
        ref var derivative = ref TAccess.At(a.Derivative, i);
        if (c < layout.Adjoint)
            derivative = TAccess.At(a.F, (long)row * dim + c);
        else if (c < layout.ParameterAdjoint)
            derivative = -TAccess.At(a.AdjointZ, (long)row * dim + c - layout.Adjoint);
        else if (c < layout.TimeAdjoint)
        {
            var p = layout.ParameterIndex(row, c - layout.ParameterAdjoint);
            derivative = p < 0 ? T.Zero : -TAccess.At(a.AdjointParameters, p);
        }
        else
            derivative = -TAccess.At(a.AdjointTime, row);
    }
}
