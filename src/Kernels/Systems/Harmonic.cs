using System.Numerics;
using ILGPU;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Harmonic oscillator x' = v, v' = -w^2 x. Parameter: w.</summary>
public struct Harmonic<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The angular frequency.</summary>
    public T W;

    /// <inheritdoc />
    public readonly int ParameterCount => 1;

    /// <inheritdoc />
    public void LoadParameters(ArrayView<T> parameters, long offset, long stride) => W = parameters[offset];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec2<T> Evaluate(T t, Vec2<T> y) => new(y.Y, -W * W * y.X);
}
