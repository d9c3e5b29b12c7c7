using System.Numerics;

namespace OdeGpu.Adjoint;

/// <summary>L = the sum over the saved times of |y(t)|^2, per row; dL/dz = 2 y.</summary>
/// <typeparam name="T">The state scalar.</typeparam>
public sealed class SumOfSquares<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public T[] Evaluate(Solution<T> saved, T[,,] cotangents)
    {
        var loss = new T[saved.Rows];
        for (var r = 0; r < saved.Rows; r++)
            for (var i = 0; i < saved.Times.Length; i++)
                for (var d = 0; d < saved.Dimension; d++)
                {
                    var y = saved[r, i, d];
                    loss[r] += y * y;
                    cotangents[r, i, d] = y + y;
                }
        return loss;
    }
}
