using System.Numerics;
using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>An activation over every element of a buffer (a convolutional network's ReLU between layers) and its VJP.</summary>
public static class ActivationKernels
{
    /// <summary>Y[i] = sigma(X[i]).</summary>
    public static void Forward<T, TActivation>(Index1D index, ActivationArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
    {
        var i = a.First + index;
        a.Y[i] = TActivation.Value(a.X[i]);
    }

    /// <summary>XBar[i] = sigma'(X[i]) YBar[i].</summary>
    public static void Adjoint<T, TActivation>(Index1D index, ActivationArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TActivation : struct, IActivation
    {
        var i = a.First + index;
        a.XBar[i] = TActivation.Derivative(a.X[i]) * a.YBar[i];
    }
}
