using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Precision;

namespace OdeGpu.Ensemble;

/// <summary>One trajectory's step from <paramref name="t"/> of size <paramref name="h"/>, both in double.</summary>
/// <typeparam name="T">The state's scalar.</typeparam>
/// <typeparam name="TP">Its conversions from double.</typeparam>
/// <param name="t">The time at the start of the step.</param>
/// <param name="h">The signed step size.</param>
public readonly struct StepClock<T, TP>(double t, double h) : IStepClock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TP : struct, IPrecision<T>
{
    private readonly double _t = t, _h = h;

    /// <inheritdoc />
    public T Step
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TP.FromDouble(_h);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T At(double c) => TP.FromDouble(_t + c * _h);
}
