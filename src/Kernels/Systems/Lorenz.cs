using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Lorenz system x' = s(y - x), y' = x(r - z) - y, z' = xy - bz. Parameters: s, r, b.</summary>
public struct Lorenz<T> : IOdeSystem<T, Vec3<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>sigma.</summary>
    public T S;

    /// <summary>rho.</summary>
    public T R;

    /// <summary>beta.</summary>
    public T B;

    /// <inheritdoc />
    public readonly int ParameterCount => 3;

    /// <inheritdoc />
    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
        S = parameters[0];
        R = parameters[1];
        B = parameters[2];
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec3<T> Evaluate(T t, Vec3<T> y) => new(S * (y.Y - y.X), y.X * (R - y.Z) - y.Y, y.X * y.Y - B * y.Z);
}
