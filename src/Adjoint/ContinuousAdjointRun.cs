using System.Numerics;
using ILGPU;
using OdeGpu.Batched;
using OdeGpu.Gradients;

namespace OdeGpu.Adjoint;

/// <summary>
/// The continuous adjoint: a forward solve that saves the states at the output times, then a backward solve of
/// [z, a, a_theta, a_t] from the last output time to the first, interval by interval, resetting z and adding dL/dz at
/// each output time. Its memory does not depend on the number of steps.
/// </summary>
internal sealed class ContinuousAdjointRun<T> : IAdjointRun<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IDifferentiableDynamics<T> _dynamics;
    private readonly BatchedSolver<T> _forward, _backward;
    private readonly AugmentedDynamics<T> _augmented;
    private readonly OutputHook _hook;
    private AdjointOutputArgs<T> _args;
    private double[] _times = [];

    /// <summary>Allocates both solves.</summary>
    public ContinuousAdjointRun(IDifferentiableDynamics<T> dynamics, SolveOptions options, ContinuousAdjoint adjoint, int maxOutputTimes)
    {
        _dynamics = dynamics;
        try
        {
            _forward = new BatchedSolver<T>(dynamics, options, maxOutputTimes);
            _augmented = new AugmentedDynamics<T>(dynamics, dynamics.SharedParameters && options.SharedStep);
            _backward = new BatchedSolver<T>(_augmented, BackwardOptions(options, adjoint, _augmented.Layout), maxOutputTimes);
        }
        catch
        {
            Dispose();
            throw;
        }
        _hook = new OutputHook(this);
    }

    /// <inheritdoc />
    public BatchedSolver<T> Forward => _forward;

    /// <inheritdoc />
    public void SolveForward(ArrayView<T> y0, double[] times)
    {
        _forward.SolveOnDevice(y0, times);
        _times = (double[])times.Clone();
    }

    /// <inheritdoc />
    public void Backward(ArrayView<T> cotangents, double[] times, in AdjointOutputArgs<T> gradients)
    {
        _args = gradients with
        {
            Layout = _augmented.Layout, Augmented = _backward.State, Forward = _forward.Output, Cotangent = cotangents, Outputs = times.Length,
            ForwardStatus = _forward.Status, BackwardStatus = _backward.Status,
            ParameterGradient = SumsRows ? gradients.SharedParameterGradient : gradients.ParameterGradient,
        };
        AtOutput(times.Length - 1, AdjointOutputKernels.Begin);
        _backward.SolveOnDevice(_backward.State, [.. times.Reverse()], hook: _hook);
        _dynamics.Device.Launch(AdjointOutputKernels.Finish, _dynamics.Rows, _args);
    }

    /// <inheritdoc />
    public bool SumsRows => _augmented.Layout.SharedParameters != 0;

    /// <inheritdoc />
    public SolveStatistics Statistics() => _backward.Outcome().Statistics;

    /// <inheritdoc />
    public TrajectoryStatus[] Status() => _backward.Outcome().Status;

    /// <inheritdoc />
    public void Dispose()
    {
        _forward?.Dispose();
        _backward?.Dispose();
        _augmented?.Dispose();
    }

    // The backward solve: the adjoint's method and controller, and with the seminorm the norm with a_theta and a_t's errors taken as zero.
    private static SolveOptions BackwardOptions(SolveOptions options, ContinuousAdjoint adjoint, AugmentedLayout layout) => options with
    {
        Method = adjoint.Method ?? options.Method,
        Controller = adjoint.Controller ?? options.Controller,
        ErrorComponents = adjoint.Seminorm ? [.. Enumerable.Range(0, layout.ParameterAdjoint)] : null,
        ErrorOverWholeState = adjoint.Seminorm,
        InitialStep = null,
    };

    // At forward output i: reset z and add dL/dz (Begin also clears the row), then dL/dt_i from f there. At t0 the
    // adjoint a_t is dL/dt0 itself (Finish), so no product is taken.
    private void AtOutput(int output, Action<Index1D, AdjointOutputArgs<T>> visit)
    {
        _args.Output = output;
        _args.OutputTime = _times[output];
        var device = _dynamics.Device;
        device.LaunchRows(visit, _dynamics.Rows, _dynamics.Dimension, _args);
        if (output == 0)
            return;
        _dynamics.Evaluate(_args.Time, _args.Z, _args.F);
        device.Launch(AdjointOutputKernels.TimeAdjoint, _dynamics.Rows, _args);
    }

    // The backward solve visits the forward output times from the last to the first: its output j is forward output N - j.
    private sealed class OutputHook(ContinuousAdjointRun<T> run) : IOutputHook<T>
    {
        public void AtOutput(int index, double time, ArrayView<T> state) =>
            run.AtOutput(run._times.Length - 1 - index, AdjointOutputKernels.Visit);
    }
}
