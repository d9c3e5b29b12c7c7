namespace OdeGpu.Flows;

/// <summary>A batch carried through every block of a flow, one way or the other.</summary>
/// <param name="Data">The data side x, [rows, d].</param>
/// <param name="Base">The base side z, [rows, d].</param>
/// <param name="LogDensity">log p(x) of each row: log N(z) minus the blocks' change in log-density; NaN where a row failed.</param>
/// <param name="Kinetic">Each row's kinetic energy summed over the blocks (0 when not carried).</param>
/// <param name="Frobenius">Each row's Frobenius integral summed over the blocks (0 when not carried).</param>
/// <param name="Status">Each row's worst status over the blocks.</param>
/// <param name="Evaluations">Evaluations of the dynamics per row, summed over the blocks.</param>
public sealed record FlowPass(double[,] Data, double[,] Base, double[] LogDensity, double[] Kinetic, double[] Frobenius, TrajectoryStatus[] Status, double Evaluations);
