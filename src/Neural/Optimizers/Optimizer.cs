using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Optimization;
using OdeGpu.Precision;

namespace OdeGpu.Neural.Optimizers;

/// <summary>
/// A first-order optimizer with PyTorch's semantics and defaults, as a device kernel over the parameters: bound to a
/// device and a parameter count, it holds its state in device buffers (zero until the first step) and updates the
/// parameters in place from their gradient.
/// </summary>
/// <typeparam name="T">The scalar: float or double.</typeparam>
public abstract class Optimizer<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<(string Name, MemoryBuffer1D<T, Stride1D.Dense> Buffer)> _state = [];

    /// <summary>Binds the optimizer to its device and parameter count.</summary>
    /// <exception cref="ArgumentException">The count or the learning rate is out of range.</exception>
    protected Optimizer(OdeDevice device, int count, double learningRate)
    {
        if (count < 1)
            throw new ArgumentException($"count must be at least 1, but was {count}", nameof(count));
        Device = device;
        Count = count;
        LearningRate = Check.NonNegative(learningRate, nameof(learningRate));
    }

    /// <summary>The device the parameters live on.</summary>
    public OdeDevice Device { get; }

    /// <summary>The number of parameters.</summary>
    public int Count { get; }

    /// <summary>The learning rate of the next step (a schedule sets it between steps).</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>The state buffers under PyTorch's names (for checkpoints), each [count].</summary>
    public IReadOnlyList<(string Name, ArrayView<T> View)> State => [.. _state.Select(s => (s.Name, s.Buffer.View))];

    /// <summary>Restores a checkpoint's steps and state buffers (by name, as <see cref="State"/> lists them).</summary>
    /// <exception cref="ArgumentException">A buffer is missing, extra or of another length.</exception>
    public void Restore(int steps, IReadOnlyDictionary<string, T[]> state)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var expected = _state.Select(s => s.Name).ToHashSet();
        if (!expected.SetEquals(state.Keys))
            throw new ArgumentException($"state must hold [{string.Join(", ", expected)}], but holds [{string.Join(", ", state.Keys)}]", nameof(state));
        foreach (var (name, buffer) in _state)
        {
            if (state[name].Length != Count)
                throw new ArgumentException($"state '{name}' must hold {Count} values, but holds {state[name].Length}", nameof(state));
            buffer.View.CopyFromCPU(state[name]);
        }
        Steps = steps;
    }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradient"/>.</summary>
    /// <exception cref="ArgumentException">A view's length is not the parameter count.</exception>
    public void Step(ArrayView<T> parameters, ArrayView<T> gradient)
    {
        if (parameters.Length != Count)
            throw new ArgumentException($"parameters must hold {Count} values, but holds {parameters.Length}", nameof(parameters));
        if (gradient.Length != Count)
            throw new ArgumentException($"gradient must hold {Count} values, but holds {gradient.Length}", nameof(gradient));
        Steps++;
        var args = Arguments(Steps) with { Parameters = parameters, Gradient = gradient, LearningRate = LearningRate, FirstStep = Steps == 1 ? 1 : 0 };
        Device.Launch(Kernel, Count, args);
    }

    /// <summary>Frees the state buffers.</summary>
    public void Dispose()
    {
        foreach (var (_, buffer) in _state)
            buffer.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The kernel of this optimizer.</summary>
    protected abstract Action<Index1D, OptimizerArgs<T>> Kernel { get; }

    /// <summary>The hyperparameters and state views of step <paramref name="step"/> (from 1).</summary>
    protected abstract OptimizerArgs<T> Arguments(int step);

    /// <summary>Allocates a state buffer of <see cref="Count"/> zeros under PyTorch's name.</summary>
    protected ArrayView<T> NewState(string name)
    {
        var buffer = Device.Allocate<T>(Count);
        buffer.MemSetToZero();
        _state.Add((name, buffer));
        return buffer.View;
    }

    /// <summary>The kernel <paramref name="name"/> of <see cref="OptimizerKernels"/> for this scalar.</summary>
    protected static Action<Index1D, OptimizerArgs<T>> KernelOf(string name) => typeof(OptimizerKernels).GetMethod(name)!
        .MakeGenericMethod(typeof(T), PrecisionOf.Struct<T>()).CreateDelegate<Action<Index1D, OptimizerArgs<T>>>();
}
