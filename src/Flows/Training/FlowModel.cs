namespace OdeGpu.Flows.Training;

/// <summary>A trained flow as a checkpoint holds it.</summary>
/// <param name="Architecture">The flow.</param>
/// <param name="Parameters">Its parameters in the order of <see cref="FlowArchitecture.ParameterNames"/>.</param>
/// <param name="Precision">"float32" or "float64".</param>
/// <param name="Data">The toy density it was trained on.</param>
/// <param name="Tolerance">The solves' rtol and atol in training.</param>
public sealed record FlowModel(FlowArchitecture Architecture, double[] Parameters, string Precision, string Data, double Tolerance);
