using System.Numerics;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>
/// The right-hand side dy/dt = f(t, y) of one trajectory and its parameters, written as device code over a
/// register-held state. ILGPU specializes the implementing struct into the kernels of both modes (one thread per row
/// in the batched mode, the whole fused solve in the ensemble mode), so it must be a struct without classes,
/// exceptions or virtual calls. Each thread loads its trajectory's parameters into a copy of the struct once, so the
/// right-hand side reads them from registers; mark <see cref="Evaluate"/> readonly so calls never copy the struct.
/// </summary>
/// <typeparam name="T">The scalar: float or double.</typeparam>
/// <typeparam name="TState">The state vector, e.g. <see cref="Vec3{T}"/>.</typeparam>
public interface IOdeSystem<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    /// <summary>The number of parameters per trajectory.</summary>
    int ParameterCount { get; }

    /// <summary>Reads this trajectory's parameters: parameter k is <c>parameters[offset + k * stride]</c>.</summary>
    void LoadParameters(ArrayView<T> parameters, long offset, long stride);

    /// <summary>Returns f(t, y) with the loaded parameters.</summary>
    TState Evaluate(T t, TState y);
}
