using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Brusselator x' = A + x^2 y - (B + 1) x, y' = B x - x^2 y. Parameters: A, B.</summary>
public struct Brusselator<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Feed concentration A.</summary>
    public T A;

    /// <summary>Feed concentration B.</summary>
    public T B;

    /// <inheritdoc />
    public readonly int ParameterCount => 2;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
        A = parameters[0];
        B = parameters[1];
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec2<T> Evaluate(T t, Vec2<T> y)
    {
        var x2y = y.X * y.X * y.Y;
        return new(A + x2y - (B + T.One) * y.X, B * y.X - x2y);
    }
}
