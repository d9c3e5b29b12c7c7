namespace OdeGpu.Systems;

/// <summary>
/// One trajectory's parameters as a kernel hands them to <see cref="IOdeSystem{T, TState}.LoadParameters"/>:
/// parameter k already in the system's arithmetic type, whatever type stores it and however it is laid out. A solve
/// on dual numbers hands a system duals seeded for the parameters; a solve on SIMD lanes hands it one lane per
/// trajectory; the system's code is the same.
/// </summary>
/// <typeparam name="T">The system's arithmetic type.</typeparam>
public interface IParameters<T>
{
    /// <summary>Parameter <paramref name="k"/> (0 to the system's ParameterCount - 1).</summary>
    T this[int k] { get; }
}
