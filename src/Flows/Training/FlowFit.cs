using System.Diagnostics;
using System.Numerics;
using ILGPU.Runtime;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Gradients;
using OdeGpu.Neural.Optimizers;
using OdeGpu.Tableaux;

namespace OdeGpu.Flows.Training;

/// <summary>
/// FFJORD's train_toy.py as a training loop (BENCHMARKS.md's C1): a <see cref="ContinuousFlow{T}"/> fitted to fresh
/// batches of a toy density by Adam (learning rate 1e-3, weight decay 1e-5 as an L2 term; over the end times only when
/// they are trained) through Dopri5 at
/// rtol = atol = 1e-5, the test NLL measured on a fixed held-out set. Deterministic for a seed: the weights come from
/// the seed, iteration k's batch and Hutchinson directions from a generator seeded by seed x 1000003 + k, and the
/// test set from seed x 1000003 - 1, so a resumed run draws what an uninterrupted one would.
/// </summary>
/// <typeparam name="T">The scalar: float32 as FFJORD, or float64.</typeparam>
public sealed class FlowFit<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OdeDevice _device;
    private readonly ContinuousFlow<T> _flow;
    private readonly Adam<T> _optimizer;
    private readonly double[,] _test;

    /// <summary>Builds the flow, its optimizer and the test set.</summary>
    /// <param name="device">The device.</param>
    /// <param name="architecture">The flow.</param>
    /// <param name="data">A name of <see cref="ToyData.Names"/>.</param>
    /// <param name="adjoint">The gradient method (FFJORD's is the continuous adjoint).</param>
    /// <param name="seed">Seeds the weights, the batches and the test set.</param>
    /// <param name="batch">Samples per training batch (FFJORD's 100).</param>
    /// <param name="testBatch">Samples in the test set (FFJORD's 1000).</param>
    /// <param name="tolerance">The solves' rtol and atol (FFJORD's 1e-5).</param>
    /// <param name="learningRate">Adam's learning rate (FFJORD's 1e-3).</param>
    /// <param name="weightDecay">Adam's weight decay (FFJORD's 1e-5).</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public FlowFit(OdeDevice device, FlowArchitecture architecture, string data, AdjointMethod adjoint, int seed = 0, int batch = 100, int testBatch = 1000,
        double tolerance = 1e-5, double learningRate = 1e-3, double weightDecay = 1e-5)
    {
        if (!ToyData.Names.Contains(data))
            throw new ArgumentException($"data must be one of {string.Join(", ", ToyData.Names)}, but was '{data}'", nameof(data));
        if (batch < 1 || testBatch < 1)
            throw new ArgumentException($"the batch sizes must be at least 1, but were {batch} and {testBatch}", nameof(batch));
        if (!(tolerance > 0))
            throw new ArgumentException($"tolerance must be positive, but was {tolerance}", nameof(tolerance));
        (_device, Data, Seed, Batch, Tolerance) = (device, data, seed, batch, tolerance);
        Options = new SolveOptions { Method = Methods.Dopri5, Controller = new IntegralController(tolerance, tolerance), Adjoint = adjoint };
        _flow = new ContinuousFlow<T>(device, architecture, batch, ContinuousFlow<T>.InitialParameters(architecture, seed), Options);
        _optimizer = new Adam<T>(device, architecture.TrainedParameters, learningRate, weightDecay: weightDecay);
        _test = ToyData.Sample(data, testBatch, new Random(unchecked(seed * 1_000_003 - 1)));
    }

    /// <summary>The flow's architecture.</summary>
    public FlowArchitecture Architecture => _flow.Architecture;

    /// <summary>The toy density.</summary>
    public string Data { get; }

    /// <summary>The seed of the weights, the batches and the test set.</summary>
    public int Seed { get; }

    /// <summary>Samples per batch.</summary>
    public int Batch { get; }

    /// <summary>The solves' rtol and atol.</summary>
    public double Tolerance { get; }

    /// <summary>The solves' options.</summary>
    public SolveOptions Options { get; }

    /// <summary>The held-out test set, [test batch, d].</summary>
    public double[,] Test => _test;

    /// <summary>Iterations done.</summary>
    public int Iteration { get; private set; }

    /// <summary>The optimizer, whose state a checkpoint keeps.</summary>
    public Adam<T> Optimizer => _optimizer;

    /// <summary>The flow's parameters now, in the order of <see cref="FlowArchitecture.ParameterNames"/>.</summary>
    public T[] Parameters => _device.Download(_flow.Parameters);

    /// <summary>Continues from a checkpoint: its iterations done, parameters, and the optimizer's steps (fewer where iterations failed) and state.</summary>
    /// <exception cref="ArgumentException">The parameters or the optimizer's state do not fit this flow.</exception>
    public void Restore(int iteration, T[] parameters, int steps, IReadOnlyDictionary<string, T[]> optimizerState)
    {
        if (parameters.Length != Architecture.ParameterCount)
            throw new ArgumentException($"parameters must hold {Architecture.ParameterCount} values, but holds {parameters.Length}", nameof(parameters));
        _flow.Parameters.CopyFromCPU(parameters);
        _optimizer.Restore(steps, optimizerState);
        Iteration = iteration;
    }

    /// <summary>Runs iterations until <paramref name="iterations"/> are done in all, yielding each as it finishes.</summary>
    /// <param name="iterations">Iterations in all.</param>
    /// <param name="testEvery">Measure the test NLL every this many iterations, and at the last.</param>
    /// <param name="cancellation">Stops between iterations.</param>
    public IEnumerable<FlowHistoryRow> Run(int iterations, int testEvery, CancellationToken cancellation = default)
    {
        while (Iteration < iterations)
        {
            cancellation.ThrowIfCancellationRequested();
            var it = Iteration + 1;
            var clock = Stopwatch.StartNew();
            var random = new Random(unchecked(Seed * 1_000_003 + it));
            var loss = _flow.Loss(ToyData.Sample(Data, Batch, random), random);
            var trained = Architecture.TrainedParameters;
            if (loss.Failed == 0)
                _optimizer.Step(_flow.Parameters.SubView(0, trained), _flow.Gradient.SubView(0, trained));
            Iteration = it;
            var seconds = clock.Elapsed.TotalSeconds;
            var test = it % testEvery == 0 || it == iterations ? TestNll() : (double?)null;
            yield return new FlowHistoryRow(it, loss.Loss, loss.NegativeLogLikelihood, loss.Kinetic, loss.Frobenius, loss.NfeForward, loss.NfeBackward,
                _flow.EndTimes()[0], seconds, test, loss.Failed);
        }
    }

    /// <summary>The mean -log p(x) over the test set, in nats, solved as training solves (without the regularizers' states).</summary>
    public double TestNll()
    {
        using var flow = Copy(_test.GetLength(0));
        return -flow.Density(_test, new Random(unchecked(Seed * 1_000_003 - 2))).LogDensity.Average();
    }

    /// <summary>The flow as it is now, for batches of <paramref name="rows"/>, without the regularizers' states: to sample and to evaluate densities.</summary>
    public ContinuousFlow<T> Copy(int rows) =>
        new(_device, Architecture with { Kinetic = 0, Frobenius = 0 }, rows, Parameters, Options with { Adjoint = new ContinuousAdjoint() });

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        _flow.Dispose();
    }
}
