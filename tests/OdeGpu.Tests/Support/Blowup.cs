using System.Numerics;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Tests.Support;

/// <summary>y' = y^2, y(0) = 1: the solution 1 / (1 - t) blows up at t = 1. A user-written system.</summary>
public struct Blowup<T> : IOdeSystem<T, Vec1<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly int ParameterCount => 0;

    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
    }

    public readonly Vec1<T> Evaluate(T t, Vec1<T> y) => new(y.X * y.X);
}
