using System.Numerics;
using ILGPU;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Tests.Support;

/// <summary>y' = y^2, y(0) = 1: the solution 1 / (1 - t) blows up at t = 1. A user-written system.</summary>
public readonly struct Blowup<T> : IOdeSystem<T, Vec1<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int ParameterCount => 0;

    public Vec1<T> Evaluate(T t, Vec1<T> y, ArrayView<T> p) => new(y.X * y.X);
}
