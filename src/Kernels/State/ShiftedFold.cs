using System.Runtime.CompilerServices;

namespace OdeGpu.State;

/// <summary>Passes component k to another fold as component <c>k + shift</c>: folds a part of a composite state in place.</summary>
/// <typeparam name="T">The component type.</typeparam>
/// <typeparam name="TAccumulate">What is accumulated.</typeparam>
/// <typeparam name="TFold">The fold over the whole state.</typeparam>
/// <param name="fold">The fold over the whole state.</param>
/// <param name="shift">Where the part starts in the whole.</param>
public readonly struct ShiftedFold<T, TAccumulate, TFold>(TFold fold, int shift) : IComponentFold<T, TAccumulate>
    where TFold : struct, IComponentFold<T, TAccumulate>
{
    private readonly TFold _fold = fold;
    private readonly int _shift = shift;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TAccumulate Add(TAccumulate accumulated, int k, T component) => _fold.Add(accumulated, k + _shift, component);
}
