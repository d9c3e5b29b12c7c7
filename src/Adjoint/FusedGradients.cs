using System.Numerics;

namespace OdeGpu.Adjoint;

/// <summary>
/// Each trajectory's gradients from a fused backward pass, on the host, before the output times' own gradients and the
/// failed rows' NaN (<see cref="EnsembleGradient"/> adds those): filled chunk by chunk.
/// </summary>
/// <param name="rows">Trajectories in the ensemble.</param>
/// <param name="dimension">State dimension.</param>
/// <param name="parameters">Parameters per trajectory.</param>
/// <param name="times">Output times whose cotangents a loss gives (0 when they were given).</param>
internal sealed class FusedGradients<T>(int rows, int dimension, int parameters, int times) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>dL/d(initial state), dL/dz at t0 included, [rows, dimension].</summary>
    public T[,] State { get; } = new T[rows, dimension];

    /// <summary>dL/dp, [rows, parameters].</summary>
    public T[,] Parameters { get; } = new T[rows, parameters];

    /// <summary>Sum of KBar . df/dt over every stage, per row.</summary>
    public T[] TimeShift { get; } = new T[rows];

    /// <summary>The loss of each row, when a loss gave the cotangents.</summary>
    public T[] Loss { get; } = new T[rows];

    /// <summary>The cotangents a loss gave, [rows, times, dimension].</summary>
    public T[,,] Cotangents { get; } = new T[rows, times, dimension];

    /// <summary>Evaluations and VJPs of the sweep, per row.</summary>
    public int[] Evaluations { get; } = new int[rows];

    /// <summary>Stores a chunk's results, given in the kernel's [component][trajectory] layout, at <paramref name="rows"/>.</summary>
    public void Scatter(ReadOnlySpan<int> rows, T[] state, T[] parameterGradient, T[] shift, int[] evaluations)
    {
        var count = rows.Length;
        for (var i = 0; i < count; i++)
        {
            var row = rows[i];
            for (var d = 0; d < State.GetLength(1); d++)
                State[row, d] = state[(long)d * count + i];
            for (var k = 0; k < Parameters.GetLength(1); k++)
                Parameters[row, k] = parameterGradient[(long)k * count + i];
            TimeShift[row] = shift[i];
            Evaluations[row] = evaluations[i];
        }
    }
}
