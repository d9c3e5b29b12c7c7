namespace OdeGpu.State;

/// <summary>
/// One step of <see cref="IStateVector{TSelf, T}.Fold{TAccumulate, TFold}"/>: combines what has been accumulated with
/// component k. The state calls it once per component with a constant index, in straight-line code.
/// </summary>
/// <typeparam name="T">The component type.</typeparam>
/// <typeparam name="TAccumulate">What is accumulated.</typeparam>
public interface IComponentFold<T, TAccumulate>
{
    /// <summary>The accumulation after component <paramref name="k"/>, whose value is <paramref name="component"/>.</summary>
    TAccumulate Add(TAccumulate accumulated, int k, T component);
}
