namespace OdeGpu.Ensemble;

/// <summary>How many trajectories one chunk of an ensemble solve may hold.</summary>
internal static class ChunkBudget
{
    /// <summary>
    /// The most trajectories (at least one, at most <paramref name="count"/>) whose device buffers fit half of
    /// <paramref name="deviceBytes"/>, whose host arrays (the downloaded outputs and their reordered copy) fit half of
    /// <paramref name="hostBytes"/>, and whose outputs fit one array of at most <see cref="Array.MaxLength"/> values.
    /// </summary>
    /// <param name="deviceBytes">Memory of the device.</param>
    /// <param name="hostBytes">Memory available to this process on the host.</param>
    /// <param name="scalar">Bytes per state scalar.</param>
    /// <param name="dim">State dimension.</param>
    /// <param name="parameters">Parameters per trajectory.</param>
    /// <param name="outputTimes">Output times per trajectory.</param>
    /// <param name="sharedTimes">Whether every trajectory has the same output times.</param>
    /// <param name="count">Trajectories in the whole ensemble.</param>
    public static int Trajectories(long deviceBytes, long hostBytes, int scalar, int dim, int parameters, int outputTimes, bool sharedTimes, int count)
    {
        long outputs = (long)outputTimes * dim;
        var ownTimes = sharedTimes ? 0 : 8L * outputTimes;
        // The state, f(t, y), the parameters, the outputs, four doubles and seven ints of bookkeeping.
        var device = scalar * (2L * dim + parameters + outputs) + 4 * 8 + 7 * 4 + ownTimes;
        // Two copies of the outputs, the initial state and parameters, the status and three counters.
        var host = scalar * (2 * outputs + dim + parameters) + 4 * 4 + ownTimes;
        var fit = Math.Min(Math.Min(deviceBytes / 2 / device, hostBytes / 2 / host), Array.MaxLength / outputs);
        return (int)Math.Clamp(fit, 1, count);
    }
}
