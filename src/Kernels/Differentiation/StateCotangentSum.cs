using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// <see cref="CotangentSum{T, TTangent}"/> with the cotangents a held in registers: folded over f with the inputs
/// seeded one per tangent, it gives a^T [df/dy | df/dt | df/dp] along the tangents.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TTangent">The tangents.</typeparam>
/// <typeparam name="TState">The cotangents' state vector.</typeparam>
/// <param name="cotangent">The cotangents a.</param>
public readonly struct StateCotangentSum<T, TTangent, TState>(TState cotangent) : IComponentFold<Dual<T, TTangent>, TTangent>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
    where TState : unmanaged, IStateVector<TState, T>
{
    private readonly TState _cotangent = cotangent;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TTangent Add(TTangent accumulated, int k, Dual<T, TTangent> component) =>
        TTangent.MulAdd(accumulated, ComponentAt<T>.Of(_cotangent, k), component.Tangent);
}
