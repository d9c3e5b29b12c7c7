using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Differentiation;

/// <summary>Parameters as independent variables: parameter k is the source's, with the unit tangent e_(seed + k).</summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TTangent">The tangents.</typeparam>
/// <typeparam name="TParameters">Where the values come from.</typeparam>
/// <param name="parameters">Where the values come from.</param>
/// <param name="seed">The tangent index of parameter 0.</param>
public readonly struct SeededParameters<T, TTangent, TParameters>(TParameters parameters, int seed) : IParameters<Dual<T, TTangent>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTangent : unmanaged, IStateVector<TTangent, T>
    where TParameters : struct, IParameters<T>
{
    private readonly TParameters _parameters = parameters;
    private readonly int _seed = seed;

    /// <inheritdoc />
    public Dual<T, TTangent> this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_parameters[k], UnitTangent<T>.Of<TTangent>(_seed + k));
    }
}
