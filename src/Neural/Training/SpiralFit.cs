using System.Diagnostics;
using System.Numerics;
using ILGPU.Runtime;
using OdeGpu.Adjoint;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Gradients;
using OdeGpu.Neural.Optimizers;
using OdeGpu.Tableaux;

namespace OdeGpu.Neural.Training;

/// <summary>
/// torchdiffeq's ode_demo as a training loop (BENCHMARKS.md's N1): dynamics net(y^3) with net an MLP 2-50-2 with tanh
/// (weights from N(0, 0.1), biases zero), fitted by RMSprop to windows of the true spiral (<see cref="SpiralData"/>)
/// through Dopri5, the loss the mean absolute error over a batch's windows; every <c>evalEvery</c> iterations the
/// demo's total loss, the mean absolute error over the 1000 points of one solve from y0. Deterministic for a seed: the
/// weights come from the seed, and iteration k's batch from a generator seeded by seed x 1000003 + k, so the random state of a
/// run is its seed and iteration, and a resumed run draws what an uninterrupted one would.
/// </summary>
/// <typeparam name="T">The scalar: float64 by default in the command, float32 at a looser tolerance.</typeparam>
public sealed class SpiralFit<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The demo's network widths.</summary>
    public static readonly int[] Widths = [2, 50, 2];

    private readonly OdeDevice _device;
    private readonly SpiralData _data;
    private readonly SolveOptions _options;
    private readonly int _seed;
    private readonly MlpDynamics<T, Tanh> _mlp;
    private readonly CubedInput<T> _dynamics;
    private readonly AdjointSolver<T> _solver;
    private readonly RmsProp<T> _optimizer;
    private readonly int _batch, _length;

    /// <summary>Builds the network, the solver and the optimizer.</summary>
    /// <param name="device">The device.</param>
    /// <param name="data">The true spiral.</param>
    /// <param name="adjoint">The gradient method.</param>
    /// <param name="rtol">Relative tolerance (the demo's 1e-7).</param>
    /// <param name="atol">Absolute tolerance (the demo's 1e-9).</param>
    /// <param name="seed">Seeds the initial weights and the batches.</param>
    /// <param name="batch">Windows per batch (the demo's 20).</param>
    /// <param name="length">Points per window (the demo's 10).</param>
    /// <param name="learningRate">RMSprop's learning rate (the demo's 1e-3).</param>
    public SpiralFit(OdeDevice device, SpiralData data, AdjointMethod adjoint, double rtol = 1e-7, double atol = 1e-9, int seed = 0, int batch = 20,
        int length = 10, double learningRate = 1e-3)
    {
        (_device, _data, _batch, _length, _seed) = (device, data, batch, length, seed);
        _options = new SolveOptions { Method = Methods.Dopri5, Controller = new IntegralController(rtol, atol), SharedStep = true, Adjoint = adjoint };
        _mlp = new MlpDynamics<T, Tanh>(device, batch, Widths, InitialParameters(new Random(seed)));
        _dynamics = new CubedInput<T>(_mlp);
        _solver = new AdjointSolver<T>(_dynamics, _options, length);
        _optimizer = new RmsProp<T>(device, _mlp.ParameterCount, learningRate);
    }

    /// <summary>The network's parameters now, in the order of <see cref="MlpDynamics{T, TActivation}.ParameterNames"/>.</summary>
    public T[] Parameters => _device.Download(_mlp.Parameters);

    /// <summary>The seed of the weights and the batches.</summary>
    public int Seed => _seed;

    /// <summary>Iterations done.</summary>
    public int Iteration { get; private set; }

    /// <summary>The optimizer, whose state a checkpoint keeps.</summary>
    public RmsProp<T> Optimizer => _optimizer;

    /// <summary>Continues from a checkpoint: its iterations done, weights and optimizer state.</summary>
    /// <exception cref="ArgumentException">The weights or the optimizer's state do not fit this network.</exception>
    public void Restore(int iteration, T[] parameters, IReadOnlyDictionary<string, T[]> optimizerState)
    {
        if (parameters.Length != _mlp.ParameterCount)
            throw new ArgumentException($"parameters must hold {_mlp.ParameterCount} values, but holds {parameters.Length}", nameof(parameters));
        _mlp.Parameters.CopyFromCPU(parameters);
        _optimizer.Restore(iteration, optimizerState);
        Iteration = iteration;
    }

    /// <summary>Runs iterations until <paramref name="iterations"/> are done in all, yielding each as it finishes.</summary>
    public IEnumerable<HistoryRow> Run(int iterations, int evalEvery, CancellationToken cancellation = default)
    {
        while (Iteration < iterations)
        {
            cancellation.ThrowIfCancellationRequested();
            var it = Iteration + 1;
            var clock = Stopwatch.StartNew();
            var (y0, times, targets) = _data.Batch(new Random(unchecked(_seed * 1_000_003 + it)), _batch, _length);
            var solution = _solver.Solve(Cast(y0), times);
            var cotangents = new T[_batch, _length, 2];
            var loss = 0.0;
            var count = _batch * _length * 2;
            for (var m = 0; m < _batch; m++)
                for (var i = 0; i < _length; i++)
                    for (var d = 0; d < 2; d++)
                    {
                        var error = double.CreateTruncating(solution[m, i, d]) - targets[m, i, d];
                        loss += Math.Abs(error) / count;
                        cotangents[m, i, d] = T.CreateTruncating(Math.Sign(error) / (double)count);
                    }
            var gradient = _solver.Backward(cotangents);
            _optimizer.Step(_mlp.Parameters, _solver.SharedParameterGradient.SubView(0, _mlp.ParameterCount));
            Iteration = it;
            var evalLoss = it % evalEvery == 0 ? EvalLoss() : (double?)null;
            yield return new HistoryRow(it, loss, solution.Statistics.Evaluations.Average(), gradient.Backward.Evaluations.Average(), clock.Elapsed.TotalSeconds, evalLoss);
        }
    }

    /// <summary>The demo's total loss: the mean absolute error of one solve from y0 over all 1000 true points.</summary>
    public double EvalLoss()
    {
        var predicted = Trajectory();
        var sum = 0.0;
        for (var i = 0; i < _data.Times.Length; i++)
            for (var d = 0; d < 2; d++)
                sum += Math.Abs(predicted[i, d] - _data.States[i, d]);
        return sum / (2 * _data.Times.Length);
    }

    /// <summary>The learned trajectory from y0 = [2, 0] at the data's 1000 times, [1000, 2].</summary>
    public double[,] Trajectory()
    {
        using var mlp = new MlpDynamics<T, Tanh>(_device, 1, Widths, Parameters);
        using var dynamics = new CubedInput<T>(mlp);
        var solution = Ode.Solve(dynamics, Cast(new double[,] { { 2, 0 } }), 0, _data.Times[^1], _options with { Adjoint = new ContinuousAdjoint(), SaveAt = SaveAt.Times(_data.Times) });
        var states = new double[_data.Times.Length, 2];
        for (var i = 0; i < _data.Times.Length; i++)
            for (var d = 0; d < 2; d++)
                states[i, d] = double.CreateTruncating(solution[0, i, d]);
        return states;
    }

    /// <summary>The learned vector field net(y^3) at <paramref name="points"/>, [n, 2].</summary>
    public double[,] Field(double[,] points)
    {
        var rows = points.GetLength(0);
        using var mlp = new MlpDynamics<T, Tanh>(_device, rows, Widths, Parameters);
        using var dynamics = new CubedInput<T>(mlp);
        using var y = _device.Upload(Cast(points).Cast<T>().ToArray());
        using var time = _device.Allocate<double>(rows);
        using var f = _device.Allocate<T>(2L * rows);
        dynamics.Evaluate(time.View, y.View, f.View);
        var values = _device.Download<T>(f.View);
        var field = new double[rows, 2];
        for (var r = 0; r < rows; r++)
            for (var d = 0; d < 2; d++)
                field[r, d] = double.CreateTruncating(values[2 * r + d]);
        return field;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        _solver.Dispose();
        _dynamics.Dispose();
        _mlp.Dispose();
    }

    // The demo's initialization: weights from N(0, 0.1), biases zero.
    private static T[] InitialParameters(Random random)
    {
        var parameters = new T[MlpDynamics<T, Tanh>.ParameterCountOf(Widths)];
        foreach (var (name, offset, shape) in MlpDynamics<T, Tanh>.ParameterNames(Widths))
        {
            if (!name.EndsWith("weight", StringComparison.Ordinal))
                continue;
            for (var k = 0; k < shape[0] * shape[1]; k++)
                parameters[offset + k] = T.CreateTruncating(0.1 * Gaussian.Next(random));
        }
        return parameters;
    }

    private static T[,] Cast(double[,] values)
    {
        var cast = new T[values.GetLength(0), values.GetLength(1)];
        for (var r = 0; r < values.GetLength(0); r++)
            for (var d = 0; d < values.GetLength(1); d++)
                cast[r, d] = T.CreateTruncating(values[r, d]);
        return cast;
    }
}
