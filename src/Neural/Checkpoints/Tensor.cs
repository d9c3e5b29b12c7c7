namespace OdeGpu.Neural.Checkpoints;

/// <summary>A named tensor of a checkpoint: its shape, its values (row-major) and whether it is stored in 32 or 64 bits.</summary>
/// <param name="Name">The state-dict name, e.g. net.0.weight.</param>
/// <param name="Shape">The dimensions, e.g. [50, 2]; [] for a scalar.</param>
/// <param name="Values">The values in row-major order: the product of the dimensions of them.</param>
/// <param name="Double">True for F64, false for F32.</param>
public sealed record Tensor(string Name, int[] Shape, double[] Values, bool Double)
{
    /// <summary>The number of values the shape holds.</summary>
    public long Count => Shape.Aggregate(1L, (n, d) => n * d);
}
