using OdeGpu.Systems;

namespace OdeGpu.Tests.Support;

/// <summary>Host-side parameters from an array, for evaluating a system directly in a test.</summary>
public readonly struct ArrayParameters<T>(T[] values) : IParameters<T>
{
    /// <inheritdoc />
    public T this[int k] => values[k];
}
