using ILGPU;

namespace OdeGpu.Batched;

/// <summary>
/// Code run at each output time of a batched solve, when every row has reached it: it reads the states there and may
/// change them (add a loss gradient, reset part of the state), by launching kernels on the solver's device. A solve
/// with a hook integrates interval by interval, each ending exactly on its output time, so the change takes effect
/// from there on.
/// </summary>
/// <typeparam name="T">The state scalar.</typeparam>
public interface IOutputHook<T> where T : unmanaged
{
    /// <summary>Called at output time <paramref name="index"/> (1 to times - 1) after its output is stored.</summary>
    /// <param name="index">The output time's index.</param>
    /// <param name="time">The output time.</param>
    /// <param name="state">The states of every row at <paramref name="time"/>, [rows x dim], on the device; rows that failed hold their last state.</param>
    void AtOutput(int index, double time, ArrayView<T> state);
}
