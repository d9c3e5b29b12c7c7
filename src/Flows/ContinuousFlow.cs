using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Adjoint;
using OdeGpu.Device;
using OdeGpu.Neural;

namespace OdeGpu.Flows;

/// <summary>
/// A continuous normalizing flow (FFJORD): blocks in sequence, block b the solution of dz/dt = f_b(z, t) over [0, T_b]
/// carrying its change in log-density, from the data x to z under a standard normal base. log p(x) = log N(z) minus the
/// blocks' changes; samples run the blocks backwards from z ~ N(0, I). Its parameters (each block's network, then its
/// sqrt(T)) are one flat device vector that an optimizer updates in place, and <see cref="Loss"/> leaves the gradient
/// of the negative log-likelihood (plus RNODE's regularizers) in <see cref="Gradient"/>, through the adjoint method of
/// the solve options, one step size per batch as torchdiffeq's.
/// </summary>
/// <typeparam name="T">The scalar: float or double.</typeparam>
public sealed class ContinuousFlow<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly double LogRootTwoPi = 0.5 * Math.Log(2 * Math.PI);

    private readonly MemoryBuffer1D<T, Stride1D.Dense> _parameters, _gradient;
    private readonly IFlowDynamics<T>[] _dynamics;
    private readonly AdjointSolver<T>[] _solvers;

    /// <summary>Uploads the parameters and builds every block's dynamics and solver for batches of <paramref name="rows"/>.</summary>
    /// <param name="device">The device.</param>
    /// <param name="architecture">The flow.</param>
    /// <param name="rows">Rows per batch.</param>
    /// <param name="parameters">Every parameter in the order of <see cref="FlowArchitecture.ParameterNames"/>.</param>
    /// <param name="options">
    /// Method, tolerances and adjoint; <see cref="SolveOptions.SharedStep"/> is set, and without
    /// <see cref="SolveOptions.ErrorComponents"/> the error norm covers z and delta log p, not the regularizers' states.
    /// </param>
    /// <exception cref="ArgumentException">The architecture, the rows or the parameters are out of range.</exception>
    public ContinuousFlow(OdeDevice device, FlowArchitecture architecture, int rows, T[] parameters, SolveOptions options)
    {
        Architecture = architecture.Validated();
        if (parameters.Length != architecture.ParameterCount)
            throw new ArgumentException($"parameters must hold {architecture.ParameterCount} values for this flow, but holds {parameters.Length}", nameof(parameters));
        if (parameters.Where((_, k) => IsEndTime(k)).Any(s => !T.IsFinite(s) || s == T.Zero))
            throw new ArgumentException("every block's sqrt(T) must be finite and non-zero", nameof(parameters));
        Device = device;
        Rows = rows;
        // the regularizers are quadratures of the state: their error follows its own, so they do not steer the steps
        var regularized = architecture.Kinetic > 0 || architecture.Frobenius > 0;
        Options = options with
        {
            SharedStep = true, ErrorComponents = options.ErrorComponents ?? (regularized ? [.. Enumerable.Range(0, architecture.Dimension + 1)] : null),
        };
        _dynamics = new IFlowDynamics<T>[architecture.Blocks];
        _solvers = new AdjointSolver<T>[architecture.Blocks];
        _parameters = device.Upload(parameters);
        _gradient = device.Allocate<T>(parameters.Length);
        try
        {
            for (var b = 0; b < architecture.Blocks; b++)
            {
                var network = _parameters.View.SubView(architecture.NetworkOffset(b), architecture.NetworkParameters);
                _dynamics[b] = FlowActivations.With(architecture.Activation, new Builder(device, rows, architecture, network));
                _solvers[b] = new AdjointSolver<T>(_dynamics[b], Options);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The flow.</summary>
    public FlowArchitecture Architecture { get; }

    /// <summary>The device.</summary>
    public OdeDevice Device { get; }

    /// <summary>Rows per batch.</summary>
    public int Rows { get; }

    /// <summary>The solves' options.</summary>
    public SolveOptions Options { get; }

    /// <summary>Every parameter on the device, in the order of <see cref="FlowArchitecture.ParameterNames"/>.</summary>
    public ArrayView<T> Parameters => _parameters.View;

    /// <summary>After <see cref="Loss"/>: dLoss/dparameters, in the order of <see cref="Parameters"/>.</summary>
    public ArrayView<T> Gradient => _gradient.View;

    /// <summary>
    /// FFJORD's initialization: each block's network as PyTorch's nn.Linear (seeded by <paramref name="seed"/> and the
    /// block), then every sqrt(T) from <see cref="FlowArchitecture.EndTime"/>.
    /// </summary>
    public static T[] InitialParameters(FlowArchitecture architecture, int seed)
    {
        var parameters = new List<T>();
        for (var b = 0; b < architecture.Blocks; b++)
            parameters.AddRange(MlpDynamics<T, Identity>.InitialParameters(architecture.Widths, unchecked(seed * 7919 + b), architecture.Layer));
        parameters.AddRange(Enumerable.Repeat(T.CreateTruncating(Math.Sqrt(architecture.EndTime)), architecture.Blocks));
        return [.. parameters];
    }

    /// <summary>Each block's T now: its sqrt(T) squared.</summary>
    public double[] EndTimes() =>
        [.. Device.Download(Parameters.SubView(Architecture.EndTimeOffset(0), Architecture.Blocks)).Select(s => Math.Pow(double.CreateTruncating(s), 2))];

    /// <summary>Carries data <paramref name="x"/> to the base: z and log p(x).</summary>
    /// <param name="x">Data, [rows, d].</param>
    /// <param name="noise">Draws Hutchinson's directions (ignored by the exact trace).</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not [rows, d].</exception>
    public FlowPass Density(double[,] x, Random? noise = null)
    {
        var run = Run(x, forward: true, noise ?? new Random(0));
        return Pass(x, run, forward: true);
    }

    /// <summary>Carries base points <paramref name="z"/> to data: samples x = the flow's inverse at z, and log p(x).</summary>
    /// <param name="z">Base points, [rows, d], e.g. from N(0, I).</param>
    /// <param name="noise">Draws Hutchinson's directions (ignored by the exact trace).</param>
    /// <exception cref="ArgumentException"><paramref name="z"/> is not [rows, d].</exception>
    public FlowPass Sample(double[,] z, Random? noise = null)
    {
        var run = Run(z, forward: false, noise ?? new Random(0));
        return Pass(z, run, forward: false);
    }

    /// <summary>
    /// The loss of a training batch, the mean over its rows of -log p(x) plus the regularizers' weights times their
    /// means, and its gradient into <see cref="Gradient"/>: backwards through the blocks, each block's cotangent of z
    /// the next one's dL/dz0. The gradient of a fixed T is zero.
    /// </summary>
    /// <param name="x">The batch, [rows, d].</param>
    /// <param name="noise">Draws Hutchinson's directions, once per block and batch.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not [rows, d].</exception>
    public FlowLoss Loss(double[,] x, Random noise)
    {
        var run = Run(x, forward: true, noise);
        var pass = Pass(x, run, forward: true);
        var z = run.End;
        int d = Architecture.Dimension, blocks = Architecture.Blocks;
        var rows = (double)Rows;
        var gradient = new T[Architecture.ParameterCount];
        var endTimes = run.EndTimes;
        var incoming = new double[Rows, d];
        for (var r = 0; r < Rows; r++)
            for (var k = 0; k < d; k++)
                incoming[r, k] = z[r, k] / rows;
        double backwardEvaluations = 0;
        var failed = pass.Status.Count(s => s != TrajectoryStatus.Success);
        for (var b = blocks - 1; b >= 0; b--)
        {
            var dynamics = _dynamics[b];
            var cotangents = new T[Rows, 2, dynamics.Dimension];
            for (var r = 0; r < Rows; r++)
            {
                for (var k = 0; k < d; k++)
                    cotangents[r, 1, k] = T.CreateTruncating(incoming[r, k]);
                cotangents[r, 1, d] = T.CreateTruncating(1 / rows);
                if (dynamics.KineticIndex >= 0)
                    cotangents[r, 1, dynamics.KineticIndex] = T.CreateTruncating(Architecture.Kinetic / rows);
                if (dynamics.FrobeniusIndex >= 0)
                    cotangents[r, 1, dynamics.FrobeniusIndex] = T.CreateTruncating(Architecture.Frobenius / rows);
            }
            var result = _solvers[b].Backward(cotangents);
            backwardEvaluations += result.Backward.Evaluations.Average();
            failed = Math.Max(failed, result.Status.Count(s => s != TrajectoryStatus.Success));
            for (var r = 0; r < Rows; r++)
                for (var k = 0; k < d; k++)
                    incoming[r, k] = double.CreateTruncating(result.InitialState[r, k]);
            result.SharedParameters!.CopyTo(gradient, Architecture.NetworkOffset(b));
            var dT = Enumerable.Range(0, Rows).Sum(r => double.CreateTruncating(result.Times[r, 1]));
            gradient[Architecture.EndTimeOffset(b)] = Architecture.TrainEndTime ? T.CreateTruncating(2 * Math.Sqrt(endTimes[b]) * dT) : T.Zero;
        }
        _gradient.View.CopyFromCPU(gradient);
        var nll = -pass.LogDensity.Average();
        var kinetic = pass.Kinetic.Average();
        var frobenius = pass.Frobenius.Average();
        return new FlowLoss(nll + Architecture.Kinetic * kinetic + Architecture.Frobenius * frobenius, nll, kinetic, frobenius, run.Evaluations, backwardEvaluations, failed);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var solver in _solvers)
            solver?.Dispose();
        foreach (var dynamics in _dynamics)
            dynamics?.Dispose();
        _gradient.Dispose();
        _parameters.Dispose();
    }

    private bool IsEndTime(int k) => k >= Architecture.EndTimeOffset(0);

    // Every block in turn (forwards from the data, or backwards from the base), each from its predecessor's z with
    // fresh log-density and regularizer states: returns the far end's points, each block's final rows and the
    // evaluations per row.
    private BlockRun Run(double[,] start, bool forward, Random noise)
    {
        int d = Architecture.Dimension, blocks = Architecture.Blocks;
        if (start.GetLength(0) != Rows || start.GetLength(1) != d)
            throw new ArgumentException($"points must be [{Rows}, {d}] (rows, dimension), but are [{start.GetLength(0)}, {start.GetLength(1)}]", nameof(start));
        var endTimes = EndTimes();
        var points = (double[,])start.Clone();
        var finals = new T[blocks][,];
        var status = Enumerable.Repeat(TrajectoryStatus.Success, Rows).ToArray();
        var evaluations = 0.0;
        for (var step = 0; step < blocks; step++)
        {
            var b = forward ? step : blocks - 1 - step;
            var width = _dynamics[b].Dimension;
            var y0 = new T[Rows, width];
            for (var r = 0; r < Rows; r++)
                for (var k = 0; k < d; k++)
                    y0[r, k] = T.CreateTruncating(points[r, k]);
            _dynamics[b].DrawNoise(noise);
            var solution = _solvers[b].Solve(y0, forward ? [0, endTimes[b]] : [endTimes[b], 0]);
            evaluations += solution.Statistics.Evaluations.Average();
            finals[b] = new T[Rows, width];
            for (var r = 0; r < Rows; r++)
            {
                var failed = solution.Status[r] != TrajectoryStatus.Success;
                if (failed && status[r] == TrajectoryStatus.Success)
                    status[r] = solution.Status[r];
                for (var k = 0; k < width; k++)
                    finals[b][r, k] = failed ? T.NaN : solution[r, 1, k];
                for (var k = 0; k < d; k++)
                    points[r, k] = double.CreateTruncating(finals[b][r, k]);
            }
        }
        return new BlockRun(points, finals, status, evaluations, endTimes);
    }

    // The pass's log-densities and regularizers from each block's final rows.
    private FlowPass Pass(double[,] start, BlockRun run, bool forward)
    {
        var d = Architecture.Dimension;
        var finals = run.Finals;
        var (x, z) = forward ? (start, run.End) : (run.End, start);
        var logDensity = new double[Rows];
        var kinetic = new double[Rows];
        var frobenius = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            var logBase = -d * LogRootTwoPi;
            for (var k = 0; k < d; k++)
                logBase -= 0.5 * z[r, k] * z[r, k];
            var change = 0.0;
            for (var b = 0; b < Architecture.Blocks; b++)
            {
                change += double.CreateTruncating(finals[b][r, d]);
                if (_dynamics[b].KineticIndex >= 0)
                    kinetic[r] += double.CreateTruncating(finals[b][r, _dynamics[b].KineticIndex]);
                if (_dynamics[b].FrobeniusIndex >= 0)
                    frobenius[r] += double.CreateTruncating(finals[b][r, _dynamics[b].FrobeniusIndex]);
            }
            // data to base: log p(x) = log N(z) - (the forward change); base to data the change is the negative of it
            logDensity[r] = forward ? logBase - change : logBase + change;
        }
        return new FlowPass(x, z, logDensity, kinetic, frobenius, run.Status, run.Evaluations);
    }

    // What running the blocks gives: the far end's points, each block's final rows (NaN where a row failed), each row's
    // first failure, the evaluations per row, and the end times the blocks ran to.
    private sealed record BlockRun(double[,] End, T[][,] Finals, TrajectoryStatus[] Status, double Evaluations, double[] EndTimes);

    // Builds a block's dynamics for the activation the architecture names.
    private sealed class Builder(OdeDevice device, int rows, FlowArchitecture architecture, ArrayView<T> network) : IActivationUser<IFlowDynamics<T>>
    {
        public IFlowDynamics<T> Use<TActivation>() where TActivation : struct, IActivation =>
            new CnfDynamics<T, TActivation>(device, rows, architecture.Widths, network, architecture.Layer, architecture.Trace,
                architecture.Kinetic > 0, architecture.Frobenius > 0);
    }
}
