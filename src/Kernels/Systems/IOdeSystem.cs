using System.Numerics;
using ILGPU;

namespace OdeGpu.Systems;

/// <summary>
/// The right-hand side dy/dt = f(t, y, p) of one trajectory, written as device code. ILGPU specializes the
/// implementing struct into the kernels, so it must be a struct without classes, exceptions or virtual calls.
/// </summary>
/// <typeparam name="T">The state scalar: float or double.</typeparam>
public interface IOdeSystem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of state components.</summary>
    int Dimension { get; }

    /// <summary>The number of parameters per trajectory.</summary>
    int ParameterCount { get; }

    /// <summary>Writes f(t, y, p) into <paramref name="dy"/>.</summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state, <see cref="Dimension"/> components.</param>
    /// <param name="p">This trajectory's parameters, <see cref="ParameterCount"/> values.</param>
    /// <param name="dy">The derivative, <see cref="Dimension"/> components.</param>
    void Evaluate(T t, ArrayView<T> y, ArrayView<T> p, ArrayView<T> dy);
}
