using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>Lorenz system x' = s(y - x), y' = x(r - z) - y, z' = xy - bz. Parameters: s, r, b.</summary>
public struct Lorenz<T> : IVjpSystem<T, Vec3<T>> where T : unmanaged, IFloatingPointIeee754<T>
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

    /// <summary>
    /// a^T df/dy = (-s a0 + (r - z) a1 + y a2, s a0 - a1 + x a2, -x a1 - b a2); adds a^T df/d(s, r, b) =
    /// (a0 (y - x), a1 x, -a2 z). Autonomous: nothing is added to a^T df/dt.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec3<T> Vjp<TGradient>(T t, Vec3<T> y, Vec3<T> a, ref TGradient gradient) where TGradient : struct, IVjpGradient<T>
    {
        gradient.AddParameter(0, a.X * (y.Y - y.X));
        gradient.AddParameter(1, a.Y * y.X);
        gradient.AddParameter(2, -a.Z * y.Z);
        return new(-S * a.X + (R - y.Z) * a.Y + y.Y * a.Z, S * a.X - a.Y + y.X * a.Z, -y.X * a.Y - B * a.Z);
    }
}
