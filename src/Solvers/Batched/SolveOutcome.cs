namespace OdeGpu.Batched;

/// <summary>What a solve did, without its values: each row's status and statistics (a few integers per row to read).</summary>
/// <param name="Status">Each row's status.</param>
/// <param name="Statistics">Each row's evaluations and steps.</param>
public sealed record SolveOutcome(TrajectoryStatus[] Status, SolveStatistics Statistics);
