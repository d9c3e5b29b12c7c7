using System.Numerics;
using ILGPU;
using OdeGpu.Systems;

namespace OdeGpu.Tests.Support;

/// <summary>y' = y^2, y(0) = 1: the solution 1 / (1 - t) blows up at t = 1. A user-written system.</summary>
public readonly struct Blowup<T> : IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Dimension => 1;

    public int ParameterCount => 0;

    public void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy) => dy[0] = y[0] * y[0];
}
