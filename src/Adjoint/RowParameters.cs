using OdeGpu.Systems;

namespace OdeGpu.Adjoint;

/// <summary>One row of a host parameter matrix, for evaluating a system on the host: parameter k is <c>values[row, k]</c>.</summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <param name="values">[rows, parameters].</param>
/// <param name="row">The row.</param>
internal readonly struct RowParameters<T>(T[,] values, int row) : IParameters<T>
{
    /// <inheritdoc />
    public T this[int k] => values[row, k];
}
