using System.Numerics;
using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>y -> y^3 elementwise and its derivative, the input map of torchdiffeq's ode_demo (its network sees y**3).</summary>
public static class CubeKernels
{
    /// <summary>Cube[i] = Y[i]^3.</summary>
    public static void Forward<T>(Index1D index, CubeArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        ForwardAt<T, ViewIndexer>(index, a);

    /// <summary>Out[i] = 3 Y[i]^2 In[i]: the VJP and the JVP alike, the map being elementwise.</summary>
    public static void Derivative<T>(Index1D index, CubeArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        DerivativeAt<T, ViewIndexer>(index, a);

    internal static void ForwardAt<T, TAccess>(Index1D index, in CubeArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var y = TAccess.At(a.Y, i);
        TAccess.At(a.Cube, i) = y * y * y;
    }

    internal static void DerivativeAt<T, TAccess>(Index1D index, in CubeArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var y = TAccess.At(a.Y, i);
        TAccess.At(a.Out, i) = (y * y + y * y + y * y) * TAccess.At(a.In, i);
    }
}
