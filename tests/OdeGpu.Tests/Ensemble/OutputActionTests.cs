using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Runtime;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Ensemble;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>
/// An <see cref="IOutputAction{T, TState}"/> in the fused kernel: device code at each output time that sees the state
/// there and chooses the state the solve goes on from, as the batched mode's hook does on the host.
/// </summary>
public sealed class OutputActionTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly SolveOptions Options = new() { Method = Methods.Tsit5, Controller = new PIController(1e-10, 1e-12) };
    private static readonly double[] Times = [0, 1, 2, 3];

    [Fact]
    public void A_reset_at_each_output_time_takes_effect_from_there_as_in_the_batched_mode()
    {
        var y0 = new[] { new Vec1<double>(1), new Vec1<double>(1) };
        var rates = new double[,] { { 1 }, { 2 } };

        var fused = EnsembleSolver.Solve(cpu.Device, default(ExpDecay<double, Vec1<double>>), y0, rates, Times, default(ResetToOne), Options);
        using var dynamics = new SystemDynamics<double, Vec1<double>, ExpDecay<double, Vec1<double>>>(cpu.Device, default, rates);
        using var solver = new BatchedSolver<double>(dynamics, Options, maxOutputTimes: 4);
        solver.SolveOnDevice(cpu.Device.Upload(new[] { 1.0, 1.0 }).View, Times, hook: new HostReset());
        var batched = solver.Download();

        for (var row = 0; row < 2; row++)
            for (var j = 1; j < Times.Length; j++)
            {
                Assert.Equal(Math.Exp(-(row + 1)), fused[row, j, 0], 1e-9); // stored before the action resets it
                Assert.Equal(batched[row, j, 0], fused[row, j, 0], 1e-9);
            }
        Assert.All(fused.Status, s => Assert.Equal(TrajectoryStatus.Success, s));
    }

    [Fact]
    public void An_action_that_changes_nothing_ends_steps_on_the_output_times_and_agrees_with_dense_output()
    {
        var y0 = new[] { new Vec3<double>(1, 0, 0) };
        var parameters = Batches.LorenzSweep<double>(1, 10, 10);

        var stopping = EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, parameters, Times, default(Unchanged<double, Vec3<double>>), Options);
        var dense = EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, parameters, Times, Options);

        for (var j = 0; j < Times.Length; j++)
            for (var d = 0; d < 3; d++)
                Assert.Equal(dense[0, j, d], stopping[0, j, d], 1e-6);
        Assert.NotEqual(dense.Statistics.Evaluations[0], stopping.Statistics.Evaluations[0]); // different steps, same answer
    }

    [Fact]
    public void An_action_can_write_device_memory_per_trajectory()
    {
        using var calls = cpu.Device.Allocate<int>(3);
        calls.View.CopyFromCPU(new int[3]);
        var y0 = Enumerable.Repeat(new Vec1<float>(1), 3).ToArray();

        EnsembleSolver.Solve(cpu.Device, default(ExpDecay<float, Vec1<float>>), y0, new float[,] { { 1 }, { 2 }, { 3 } }, Times,
            new CountCalls { Calls = calls.View }, Options with { Controller = new PIController(1e-5, 1e-7) });

        Assert.Equal([1 + 2 + 3, 1 + 2 + 3, 1 + 2 + 3], cpu.Device.Download<int>(calls.View)); // the indices of the outputs seen
    }

    [Fact]
    public void Fixed_steps_with_an_action_are_refused_in_the_ensemble_mode()
    {
        var error = Assert.Throws<ArgumentException>(() => EnsembleSolver.Solve(cpu.Device, default(ExpDecay<double, Vec1<double>>),
            [new Vec1<double>(1)], new double[,] { { 1 } }, Times, default(ResetToOne), Options with { Method = Methods.Rk4, Controller = new FixedStep(0.1) }));

        Assert.Equal("action", error.ParamName);
        Assert.Contains("batched mode's hook", error.Message);
    }

    [Fact]
    public void A_kernel_with_an_action_that_writes_device_memory_compiles_for_ptx_and_opencl()
    {
        var kernel = typeof(EnsembleKernels).GetMethod(nameof(EnsembleKernels.Advance))!
            .MakeGenericMethod(typeof(float), typeof(Float32), typeof(Vec1<float>), typeof(ExpDecay<float, Vec1<float>>),
                FusedSteppers.Of(Methods.Tsit5), typeof(CountCalls));
        foreach (var backend in new Func<Context, ILGPU.Backends.Backend>[] { GpuCompileCheck.Ptx, GpuCompileCheck.OpenCL })
        {
            using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
            Assert.NotNull(backend(context).Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), default));
        }
    }

    /// <summary>Sets the state to 1 at every output time.</summary>
    public struct ResetToOne : IOutputAction<double, Vec1<double>>
    {
        public static bool StopsAtOutputs => true;

        public readonly Vec1<double> AtOutput(int trajectory, int index, double time, Vec1<double> state) => new(1);
    }

    /// <summary>Stops at every output time and changes nothing.</summary>
    public struct Unchanged<T, TState> : IOutputAction<T, TState>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
    {
        public static bool StopsAtOutputs => true;

        public readonly TState AtOutput(int trajectory, int index, double time, TState state) => state;
    }

    /// <summary>Adds each output index it is called at to its trajectory's counter.</summary>
    public struct CountCalls : IOutputAction<float, Vec1<float>>
    {
        public ArrayView<int> Calls;

        public static bool StopsAtOutputs => true;

        public readonly Vec1<float> AtOutput(int trajectory, int index, double time, Vec1<float> state)
        {
            Calls[trajectory] += index;
            return state;
        }
    }

    private sealed class HostReset : IOutputHook<double>
    {
        public void AtOutput(int index, double time, ArrayView<double> state) => state.CopyFromCPU(Enumerable.Repeat(1.0, (int)state.Length).ToArray());
    }
}
