using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Simd;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// The steps of a group of lanes, each from its own time with its own size: <see cref="StepClock{T, TP}"/>'s
/// arithmetic in every lane (t + c h in double, then rounded to T), so each lane sees the times the scalar path would.
/// </summary>
/// <param name="t">Each lane's time at the start of its step.</param>
/// <param name="h">Each lane's signed step size.</param>
internal readonly struct PackedClock<T>(DoubleLanes t, DoubleLanes h) : IStepClock<Packed<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DoubleLanes _t = t, _h = h;

    /// <inheritdoc />
    public Packed<T> Step
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            Packed<T> result;
            result.Lanes = _h.To<T>();
            return result;
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Packed<T> At(double c)
    {
        var coefficient = new Vector<double>(c);
        Packed<T> result;
        result.Lanes = typeof(T) == typeof(double)
            ? (_t.Low + coefficient * _h.Low).As<double, T>()
            : Vector.Narrow(_t.Low + coefficient * _h.Low, _t.High + coefficient * _h.High).As<float, T>();
        return result;
    }
}
