using ILGPU;

namespace OdeGpu.Batched;

/// <summary>The engine behind <see cref="BatchedSolver{T}"/>, closed over the state's precision.</summary>
internal interface IBatchedRun<T> : IDisposable where T : unmanaged
{
    /// <summary>Most output times one solve can have.</summary>
    int MaxOutputTimes { get; }

    /// <summary>The current states, [rows x dim].</summary>
    ArrayView<T> State { get; }

    /// <summary>The last solve's outputs, [rows x times x dim].</summary>
    ArrayView<T> Output { get; }

    /// <summary>The per-row bookkeeping.</summary>
    RowState Rows { get; }

    /// <summary>When recording steps: the state at t0 and after each recorded checkpoint, [rows x StateSlots x dim].</summary>
    ArrayView<T> StepStates { get; }

    /// <summary>When recording steps: their times, [rows x StepSlots].</summary>
    ArrayView<double> StepTimes { get; }

    /// <summary>Recorded steps per row.</summary>
    int StepSlots { get; }

    /// <summary>When recording steps: state slots per row of <see cref="StepStates"/> (StepSlots when every state is kept).</summary>
    int StateSlots { get; }

    /// <summary>Solves from <paramref name="y0"/> over <paramref name="times"/>; validated by the caller.</summary>
    void Solve(ArrayView<T> y0, double[] times, bool resume, IOutputHook<T>? hook);

    /// <summary>The last solve's solution on the host.</summary>
    Solution<T> Download();

    /// <summary>The last solve's statuses and statistics on the host, without its values.</summary>
    SolveOutcome Outcome();
}
