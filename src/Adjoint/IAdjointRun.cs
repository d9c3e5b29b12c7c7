using ILGPU;
using OdeGpu.Batched;

namespace OdeGpu.Adjoint;

/// <summary>One gradient method behind <see cref="AdjointSolver{T}"/>: a forward solve that keeps what its backward pass needs.</summary>
internal interface IAdjointRun<T> : IDisposable where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>The forward solver of the last solve (the discrete adjoint replaces it when its step record grows).</summary>
    BatchedSolver<T> Forward { get; }

    /// <summary>Solves forward from <paramref name="y0"/>, keeping what the backward pass needs.</summary>
    void SolveForward(ArrayView<T> y0, double[] times);

    /// <summary>
    /// True when the run sums a shared parameters' gradient over the rows itself, into the shared gradient; false when
    /// it writes each row's into the per-row one.
    /// </summary>
    bool SumsRows { get; }

    /// <summary>Writes the gradients of the last forward solve into the views of <paramref name="gradients"/>.</summary>
    void Backward(ArrayView<T> cotangents, double[] times, in AdjointOutputArgs<T> gradients);

    /// <summary>The backward pass's evaluations (VJPs included) and steps, per row.</summary>
    SolveStatistics Statistics();

    /// <summary>Each row's status after the backward pass (success where the forward one failed: that status wins).</summary>
    TrajectoryStatus[] Status();
}
