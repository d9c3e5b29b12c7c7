using System.Numerics;

namespace OdeGpu.Adjoint;

/// <summary>A loss of the states at every output time after t0, as the fused gradients take it.</summary>
internal static class SavedLoss
{
    /// <summary>L of each row of <paramref name="forward"/>, and dL/dz at all its output times (zero at t0).</summary>
    public static (T[] Loss, T[,,] Cotangents) Evaluate<T>(ILoss<T> loss, Solution<T> forward) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var times = forward.Times.Length;
        var saved = forward.SelectTimes([.. Enumerable.Range(1, times - 1)]);
        var savedCotangents = new T[forward.Rows, times - 1, forward.Dimension];
        var values = loss.Evaluate(saved, savedCotangents);
        var cotangents = new T[forward.Rows, times, forward.Dimension];
        for (var r = 0; r < forward.Rows; r++)
            for (var i = 1; i < times; i++)
                for (var d = 0; d < forward.Dimension; d++)
                    cotangents[r, i, d] = savedCotangents[r, i - 1, d];
        return (values, cotangents);
    }
}
