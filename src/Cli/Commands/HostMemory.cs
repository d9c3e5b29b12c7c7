namespace OdeGpu.Cli.Commands;

/// <summary>Refuses, before anything is allocated, a solve whose per-trajectory host arrays cannot fit this machine.</summary>
internal static class HostMemory
{
    /// <summary>Checks the host arrays that grow with the number of trajectories against the memory available to the process.</summary>
    /// <param name="trajectories">Number of trajectories.</param>
    /// <param name="dim">State dimension.</param>
    /// <param name="parameters">Parameters per trajectory.</param>
    /// <param name="outputTimes">Output times per trajectory.</param>
    /// <param name="scalar">Bytes per state scalar.</param>
    /// <param name="batched">Whether the whole solution is held at once (the batched mode) rather than streamed in chunks.</param>
    /// <exception cref="ArgumentException">The arrays need more than the available memory, or the batched output exceeds one .NET array; names --trajectories.</exception>
    public static void CheckTrajectories(int trajectories, int dim, int parameters, int outputTimes, int scalar, bool batched)
    {
        long outputs = (long)outputTimes * dim;
        if (batched && trajectories * outputs > Array.MaxLength)
            throw new ArgumentException(
                $"--trajectories {trajectories}: the batched mode holds all {trajectories * outputs} output values in one array, but an array holds at most {Array.MaxLength}; use --mode ensemble, which streams chunks",
                "--trajectories");
        // The parsed parameters (double), the initial values and parameters in the state's precision (twice for the
        // ensemble's state vectors), the status and three counters; the batched mode adds two copies of its outputs.
        var perTrajectory = 8L * parameters + scalar * (2L * dim + parameters) + 16 + (batched ? 2 * scalar * outputs : 0);
        var needed = trajectories * perTrajectory;
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available)
            throw new ArgumentException(
                $"--trajectories {trajectories} needs {needed / 1e9:F1} GB of host memory ({needed} bytes) for the initial values, parameters and per-trajectory results, but {available / 1e9:F1} GB ({available} bytes) is available",
                "--trajectories");
    }
}
