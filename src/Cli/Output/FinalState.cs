using OdeGpu.Batched;

namespace OdeGpu.Cli.Output;

/// <summary>One trajectory at its last output time, as the console table prints it.</summary>
/// <param name="Trajectory">Index in the ensemble.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Time">The last output time.</param>
/// <param name="State">The state there (NaN where it was never reached).</param>
internal sealed record FinalState(int Trajectory, TrajectoryStatus Status, double Time, double[] State);
