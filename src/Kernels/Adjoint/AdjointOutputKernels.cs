using System.Numerics;
using ILGPU;

namespace OdeGpu.Adjoint;

/// <summary>
/// What the continuous adjoint does at the output times, one thread per row: z is reset to the forward solve's value
/// and dL/dz added to a there, dL/dt of the output time is a^T f, and at t0 the adjoints are the gradients.
/// </summary>
public static class AdjointOutputKernels
{
    /// <summary>Starts a row at the last output time: [z, a, a_theta, a_t] = [z(t_N), dL/dz(t_N), 0, 0].</summary>
    public static void Begin<T>(Index1D index, AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        BeginAt<T>(index, a);

    /// <summary>At an output time: z = its forward value, a += dL/dz there; also z and t for evaluating f there.</summary>
    public static void Visit<T>(Index1D index, AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        VisitAt<T>(index, a);

    /// <summary>dL/dt at the output time is dL/dz . f, which also leaves a_t (torchdiffeq's convention).</summary>
    public static void TimeAdjoint<T>(Index1D index, AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        TimeAdjointAt<T>(index, a);

    /// <summary>At t0: the adjoints a, a_theta and a_t are dL/d(initial state), dL/dtheta and dL/dt0; NaN where either solve failed.</summary>
    public static void Finish<T>(Index1D index, AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        FinishAt<T>(index, a);

    /// <summary>One parameter's gradient summed over the rows in row order, so that repeated runs agree bit for bit.</summary>
    public static void SumParameters<T>(Index1D index, AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        SumParametersAt<T>(index, a);

    // The bodies at one index, the arguments by reference: the direct CPU launcher calls them without copying them.
    internal static void BeginAt<T>(Index1D index, in AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var start = (long)index.X * a.Layout.Width;
        for (var c = 0; c < a.Layout.Width; c++)
            a.Augmented[start + c] = T.Zero;
        VisitAt<T>(index, a);
    }

    internal static void VisitAt<T>(Index1D index, in AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int row = index;
        var dim = a.Layout.Dimension;
        var start = (long)row * a.Layout.Width;
        var output = ((long)row * a.Outputs + a.Output) * dim;
        for (var c = 0; c < dim; c++)
        {
            var z = a.Forward[output + c];
            a.Augmented[start + c] = z;
            a.Z[(long)row * dim + c] = z;
            a.Augmented[start + a.Layout.Adjoint + c] += a.Cotangent[output + c];
        }
        a.Time[row] = a.OutputTime;
    }

    internal static void TimeAdjointAt<T>(Index1D index, in AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int row = index;
        var dim = a.Layout.Dimension;
        var output = ((long)row * a.Outputs + a.Output) * dim;
        var dot = T.Zero;
        for (var c = 0; c < dim; c++)
            dot += a.Cotangent[output + c] * a.F[(long)row * dim + c];
        a.TimeGradient[(long)row * a.Outputs + a.Output] = dot;
        a.Augmented[(long)row * a.Layout.Width + a.Layout.TimeAdjoint] -= dot;
    }

    internal static void FinishAt<T>(Index1D index, in AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int row = index;
        var layout = a.Layout;
        var start = (long)row * layout.Width;
        var failed = a.ForwardStatus[row] != (int)TrajectoryStatus.Success || a.BackwardStatus[row] != (int)TrajectoryStatus.Success;
        for (var c = 0; c < layout.Dimension; c++)
            a.InitialStateGradient[(long)row * layout.Dimension + c] = failed ? T.NaN : a.Augmented[start + layout.Adjoint + c];
        for (var k = 0; k < layout.Parameters; k++)
        {
            var p = layout.ParameterIndex(row, k);
            if (p >= 0)
                a.ParameterGradient[p] = failed ? T.NaN : a.Augmented[start + layout.ParameterAdjoint + k];
        }
        for (var i = 1; failed && i < a.Outputs; i++)
            a.TimeGradient[(long)row * a.Outputs + i] = T.NaN;
        a.TimeGradient[(long)row * a.Outputs] = failed ? T.NaN : a.Augmented[start + layout.TimeAdjoint];
    }

    internal static void SumParametersAt<T>(Index1D index, in AdjointOutputArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = index;
        var sum = T.Zero;
        for (var row = 0; row < a.Rows; row++)
            sum += a.ParameterGradient[(long)row * a.Layout.Parameters + p];
        a.SharedParameterGradient[p] = sum;
    }
}
