namespace OdeGpu;

/// <summary>How a trajectory (a row of a batch) ended. Written by the kernels, one value per row.</summary>
public enum TrajectoryStatus
{
    /// <summary>Still integrating; never present in a finished solution.</summary>
    Running = 0,

    /// <summary>Reached the final time.</summary>
    Success = 1,

    /// <summary>Stopped after the maximum number of steps (accepted plus rejected).</summary>
    MaxStepsReached = 2,

    /// <summary>The step size fell below the minimum step or below round-off of the current time.</summary>
    StepSizeTooSmall = 3,

    /// <summary>The state or its error estimate became NaN or infinite.</summary>
    NonFinite = 4,
}
