using System.Numerics;
using OdeGpu.State;

namespace OdeGpu.Systems;

/// <summary>
/// The right-hand side dy/dt = f(t, y) of one trajectory and its parameters, written as device code over a
/// register-held state. ILGPU specializes the implementing struct into the kernels of both modes (one thread per row
/// in the batched mode, the whole fused solve in the ensemble mode), so it must be a struct without classes,
/// exceptions or virtual calls. Each thread loads its trajectory's parameters into a copy of the struct once, so the
/// right-hand side reads them from registers; mark <see cref="Evaluate"/> readonly so calls never copy the struct.
/// <para>
/// Write a system once, generic over <typeparamref name="T"/>: the same code then runs on float, double, and the
/// arithmetic types that gradients and SIMD lanes bring, because parameters arrive through
/// <see cref="IParameters{T}"/> already converted, and time arrives as <typeparamref name="T"/>. A constant that is not a
/// small integer is a <c>static readonly</c> field, e.g. <c>static readonly T Half = T.CreateTruncating(0.5);</c>:
/// the host computes it once and ILGPU folds its value into every kernel as a literal (inside a kernel,
/// <c>T.CreateTruncating</c> does not compile for GPUs).
/// </para>
/// </summary>
/// <typeparam name="T">The arithmetic type: float or double for a plain solve.</typeparam>
/// <typeparam name="TState">The state vector, e.g. <see cref="Vec3{T}"/>.</typeparam>
public interface IOdeSystem<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
{
    /// <summary>The number of parameters per trajectory.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// Reads this trajectory's parameters into fields, parameter k being <c>parameters[k]</c>. Not called when a solve
    /// is given no parameter array: the fields of the instance passed to the solver are used as they are.
    /// </summary>
    void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>;

    /// <summary>Returns f(t, y) with the loaded parameters.</summary>
    TState Evaluate(T t, TState y);
}
