namespace OdeGpu;

/// <summary>How far a solve has come.</summary>
/// <param name="Fraction">Share of the total work done, 0 to 1 (rows finished plus running rows' share of the span).</param>
/// <param name="Steps">Steps taken by the batch so far.</param>
/// <param name="RunningRows">Rows still integrating.</param>
/// <param name="Elapsed">Wall time since the solve started.</param>
public readonly record struct SolveProgress(double Fraction, int Steps, int RunningRows, TimeSpan Elapsed);
