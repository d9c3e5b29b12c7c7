namespace OdeGpu.State;

/// <summary>
/// Component k of a state being built by <see cref="IStateVector{TSelf, T}.Gather{TSource}"/>. The state asks for
/// each component with a constant index, so a source that computes its value from the index (a seeded tangent, an
/// offset into a buffer) folds to straight-line code once ILGPU inlines it.
/// </summary>
/// <typeparam name="T">The component type.</typeparam>
public interface IComponentSource<T>
{
    /// <summary>Component <paramref name="k"/> (0 to the state's Dimension - 1).</summary>
    T this[int k] { get; }
}
