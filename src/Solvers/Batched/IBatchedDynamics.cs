using System.Numerics;
using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Batched;

/// <summary>
/// Dynamics over a whole batch, as device code: <see cref="Evaluate"/> launches whatever kernels compute
/// dy = f(t, y) for every row (one per MLP layer, say). The batched solver calls it once per stage.
/// </summary>
/// <typeparam name="T">The state scalar: float or double.</typeparam>
public interface IBatchedDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The device the kernels run on.</summary>
    OdeDevice Device { get; }

    /// <summary>Number of rows (trajectories).</summary>
    int Rows { get; }

    /// <summary>State components per row.</summary>
    int Dimension { get; }

    /// <summary>Queues the kernels that write f(time[r], y[r]) into dy[r] for every row r.</summary>
    /// <param name="time">Per-row times, [rows].</param>
    /// <param name="y">States, row-major [rows x dim].</param>
    /// <param name="dy">Derivatives written, [rows x dim].</param>
    void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy);
}
