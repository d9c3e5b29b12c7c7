using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// Accumulates a^T df along every tangent: component k's tangents weighted by <c>cotangent[offset + k]</c>. Folded over
/// f(y) with the inputs seeded one per tangent, it gives a row of a^T [df/dy | df/dt | df/dp].
/// </summary>
/// <typeparam name="T">The stored scalar.</typeparam>
/// <typeparam name="TTangent">The tangents.</typeparam>
/// <param name="cotangent">The cotangents a, laid out as the state.</param>
/// <param name="offset">Where component 0's is.</param>
public readonly struct CotangentSum<T, TTangent>(ArrayView<T> cotangent, long offset) : IComponentFold<Dual<T, TTangent>, TTangent>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
{
    private readonly ArrayView<T> _cotangent = cotangent;
    private readonly long _offset = offset;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TTangent Add(TTangent accumulated, int k, Dual<T, TTangent> component) =>
        TTangent.MulAdd(accumulated, _cotangent[_offset + k], component.Tangent);
}
