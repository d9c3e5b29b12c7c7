using ILGPU;

namespace OdeGpu.Adjoint;

/// <summary>Arguments of the kernels the continuous adjoint runs at output times (<see cref="AdjointOutputKernels"/>).</summary>
public struct AdjointOutputArgs<T> where T : unmanaged
{
    /// <summary>Where z, a, a_theta and a_t sit in a row.</summary>
    public AugmentedLayout Layout;

    /// <summary>The augmented states, [rows x width].</summary>
    public ArrayView<T> Augmented;

    /// <summary>The forward solve's states at the output times, [rows x outputs x dim].</summary>
    public ArrayView<T> Forward;

    /// <summary>dL/dz at the output times, [rows x outputs x dim].</summary>
    public ArrayView<T> Cotangent;

    /// <summary>Number of output times.</summary>
    public int Outputs;

    /// <summary>The output time being visited.</summary>
    public int Output;

    /// <summary>Its time.</summary>
    public double OutputTime;

    /// <summary>Written: each row's time, for the dynamics' evaluation there, [rows].</summary>
    public ArrayView<double> Time;

    /// <summary>Written: z at the output time, [rows x dim].</summary>
    public ArrayView<T> Z;

    /// <summary>f(t, z) there, [rows x dim].</summary>
    public ArrayView<T> F;

    /// <summary>Written: dL/dt at each output time, [rows x outputs].</summary>
    public ArrayView<T> TimeGradient;

    /// <summary>Written by <see cref="AdjointOutputKernels.Finish{T}"/>: dL/d(initial state), [rows x dim].</summary>
    public ArrayView<T> InitialStateGradient;

    /// <summary>Written by <see cref="AdjointOutputKernels.Finish{T}"/>: each row's dL/dtheta, [rows x parameters].</summary>
    public ArrayView<T> ParameterGradient;

    /// <summary>Each row's status in the forward solve.</summary>
    public ArrayView<int> ForwardStatus;

    /// <summary>Each row's status in the backward solve.</summary>
    public ArrayView<int> BackwardStatus;

    /// <summary>Number of rows.</summary>
    public int Rows;

    /// <summary>Written by <see cref="AdjointOutputKernels.SumParameters{T}"/>: dL/dtheta summed over rows, [parameters].</summary>
    public ArrayView<T> SharedParameterGradient;
}
