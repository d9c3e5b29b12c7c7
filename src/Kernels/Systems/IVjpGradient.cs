namespace OdeGpu.Systems;

/// <summary>
/// Where <see cref="IVjpSystem{T, TState}.Vjp{TGradient}"/> adds the parts of a^T df that are not a state: a kernel
/// passes one that adds to a row of device buffers, a test one that adds to arrays.
/// </summary>
/// <typeparam name="T">The system's arithmetic type.</typeparam>
public interface IVjpGradient<T>
{
    /// <summary>Adds <paramref name="value"/> to a^T df/dp_k.</summary>
    void AddParameter(int k, T value);

    /// <summary>Adds <paramref name="value"/> to a^T df/dt.</summary>
    void AddTime(T value);
}
