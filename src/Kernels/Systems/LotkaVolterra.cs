using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Lotka-Volterra x' = a x - b x y, y' = -c y + d x y. Parameters: a, b, c, d.</summary>
public struct LotkaVolterra<T> : IOdeSystem<T, Vec2<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Prey growth rate.</summary>
    public T A;

    /// <summary>Predation rate.</summary>
    public T B;

    /// <summary>Predator death rate.</summary>
    public T C;

    /// <summary>Predator growth per prey.</summary>
    public T D;

    /// <inheritdoc />
    public readonly int ParameterCount => 4;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
        A = parameters[0];
        B = parameters[1];
        C = parameters[2];
        D = parameters[3];
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec2<T> Evaluate(T t, Vec2<T> y) => new(A * y.X - B * y.X * y.Y, -C * y.Y + D * y.X * y.Y);
}
