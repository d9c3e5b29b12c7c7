using System.Runtime.CompilerServices;

namespace OdeGpu.State;

/// <summary>Component k is component <c>k + shift</c> of another source: gathers a part of a composite state.</summary>
/// <typeparam name="T">The component type.</typeparam>
/// <typeparam name="TSource">The whole source.</typeparam>
/// <param name="source">The whole source.</param>
/// <param name="shift">Where the part starts in it.</param>
public readonly struct ShiftedSource<T, TSource>(TSource source, int shift) : IComponentSource<T> where TSource : struct, IComponentSource<T>
{
    private readonly TSource _source = source;
    private readonly int _shift = shift;

    /// <inheritdoc />
    public T this[int k]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _source[k + _shift];
    }
}
