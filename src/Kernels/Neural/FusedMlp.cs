using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Neural;

/// <summary>
/// A small MLP as a per-trajectory system of the fused ensemble kernel, forward only: dz/dt = f(z, t) with every layer's
/// weights shared by all trajectories and read from device memory, in the flat layout of <c>MlpDynamics</c>
/// (PyTorch's state-dict order, Linear or ConcatLinear layers), the hidden activations held in a state-vector type.
/// <para>
/// Size limits: the state and every hidden layer fit a state vector (up to 32 components, <see cref="Vec32{T}"/>), all
/// hidden layers have <see cref="Width"/> units, at most <typeparamref name="THidden"/>'s dimension. Each layer is
/// straight-line code over its input vector's components (units x inputs multiply-adds, unrolled), so the activations
/// stay in registers, and every weight is read from the (cached) weight buffer at every evaluation: code size,
/// registers and that traffic grow with width squared, which bounds it to small networks; wide ones belong in the
/// batched mode.
/// </para>
/// </summary>
/// <typeparam name="T">The scalar.</typeparam>
/// <typeparam name="TState">The state vector.</typeparam>
/// <typeparam name="THidden">A state vector at least <see cref="Width"/> wide that holds one hidden layer.</typeparam>
/// <typeparam name="TActivation">The activation between layers (none after the last).</typeparam>
public struct FusedMlp<T, TState, THidden, TActivation> : IOdeSystem<T, TState>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TState : unmanaged, IStateVector<TState, T>
    where THidden : unmanaged, IStateVector<THidden, T>
    where TActivation : struct, IActivation
{
    /// <summary>Every layer's weight [out, (1 +) in] then bias [out], flat.</summary>
    public ArrayView<T> Parameters;

    /// <summary>Units per hidden layer.</summary>
    public int Width;

    /// <summary>Hidden layers (at least 1): the network has one more dense layer.</summary>
    public int HiddenLayers;

    /// <summary>1 when every layer takes t as a first input column (ConcatLinear), else 0.</summary>
    public int TimeColumn;

    /// <inheritdoc />
    public readonly int ParameterCount => 0;

    /// <inheritdoc />
    public readonly void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TState Evaluate(T t, TState y)
    {
        var hidden = THidden.Gather(new Layer<TState, TActivation>(this, 0, TState.Dimension, Width, t, y));
        var offset = Width * (TimeColumn + TState.Dimension) + Width;
        for (var l = 1; l < HiddenLayers; l++)
        {
            hidden = THidden.Gather(new Layer<THidden, TActivation>(this, offset, Width, Width, t, hidden));
            offset += Width * (TimeColumn + Width) + Width;
        }
        return TState.Gather(new Layer<THidden, Identity>(this, offset, Width, TState.Dimension, t, hidden));
    }

    // Unit k of a dense layer of `units` units at `offset`, from `inputs` components of x: sigma(b_k + w_k . [t, x]), zero
    // past the layer's units.
    private readonly struct Layer<TInput, TLayerActivation>(FusedMlp<T, TState, THidden, TActivation> mlp, int offset, int inputs, int units, T t, TInput x)
        : IComponentSource<T>
        where TInput : unmanaged, IStateVector<TInput, T>
        where TLayerActivation : struct, IActivation
    {
        public T this[int k]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get
            {
                if (k >= units)
                    return T.Zero;
                var columns = mlp.TimeColumn + inputs;
                var weights = offset + k * columns;
                var sum = mlp.Parameters[offset + units * columns + k];
                if (mlp.TimeColumn != 0)
                    sum += mlp.Parameters[weights] * t;
                return TLayerActivation.Value(TInput.Fold(x, sum, new Dot(mlp.Parameters, weights + mlp.TimeColumn, inputs)));
            }
        }
    }

    // Adds w[start + k] x_k for the first `count` components of x, in straight-line code over the components.
    private readonly struct Dot(ArrayView<T> w, int start, int count) : IComponentFold<T, T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Add(T accumulated, int k, T component) => k < count ? accumulated + w[start + k] * component : accumulated;
    }
}
