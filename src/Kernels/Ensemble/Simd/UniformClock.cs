using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Precision;
using OdeGpu.Simd;

namespace OdeGpu.Ensemble.Simd;

/// <summary>One step shared by every lane of a group: <see cref="StepClock{T, TP}"/>'s arithmetic once, in every lane.</summary>
/// <param name="t">The time at the start of the step.</param>
/// <param name="h">The signed step size.</param>
internal readonly struct UniformClock<T, TP>(double t, double h) : IStepClock<Packed<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
{
    private readonly double _t = t, _h = h;

    /// <inheritdoc />
    public Packed<T> Step
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(TP.FromDouble(_h));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Packed<T> At(double c) => new(TP.FromDouble(_t + c * _h));
}
