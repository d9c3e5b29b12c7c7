using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Differentiation;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Ensemble.Adjoint;

/// <summary>
/// a^T df/dp and a^T df/dt accumulated in registers, for a system's own <see cref="IVjpSystem{T, TState}.Vjp{TGradient}"/>
/// called by reference: parameter k is added along the unit vector e_k, which folds to one add for a constant k.
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TParams">The parameters' vector.</typeparam>
public struct RegisterGradient<T, TParams> : IVjpGradient<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TParams : unmanaged, IStateVector<TParams, T>
{
    /// <summary>a^T df/dp so far.</summary>
    public TParams Parameters;

    /// <summary>a^T df/dt so far.</summary>
    public T Time;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddParameter(int k, T value) => Parameters = TParams.MulAdd(Parameters, value, UnitTangent<T>.Of<TParams>(k));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddTime(T value) => Time += value;
}
