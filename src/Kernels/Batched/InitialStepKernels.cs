using System.Numerics;
using ILGPU;
using OdeGpu.Precision;

namespace OdeGpu.Batched;

/// <summary>Arguments of the initial-step kernels.</summary>
public struct InitialStepArgs<T> where T : unmanaged
{
    /// <summary>Per-row bookkeeping.</summary>
    public RowState State;

    /// <summary>Step-size control constants.</summary>
    public ControlSettings Settings;

    /// <summary>The initial state.</summary>
    public ArrayView<T> Y;

    /// <summary>f(t0, y0).</summary>
    public ArrayView<T> F0;

    /// <summary>f(t0 + h0, y0 + h0 f0), read by the second kernel.</summary>
    public ArrayView<T> F1;

    /// <summary>Written by the first kernel: y0 + h0 f0.</summary>
    public ArrayView<T> Probe;

    /// <summary>Written by the first kernel: t0 + h0.</summary>
    public ArrayView<double> ProbeTime;

    /// <summary>Absolute tolerance per component.</summary>
    public ArrayView<double> Atol;

    /// <summary>A step given by the user; 0 to estimate it.</summary>
    public double Given;

    /// <summary>The state dimension.</summary>
    public int Dimension;
}

/// <summary>The first step of each row: given, or estimated by Hairer, Norsett and Wanner I, II.4.</summary>
public static class InitialStepKernels
{
    /// <summary>First half of the estimate: h0 from |y0| and |f0|, and the probe point y0 + h0 f0.</summary>
    public static void Probe<T, TP>(Index1D index, InitialStepArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        int row = index;
        var c = a.Settings;
        var start = (long)row * a.Dimension;
        double d0 = 0, d1 = 0;
        for (var d = 0; d < a.Dimension; d++)
        {
            var y = TP.ToDouble(a.Y[start + d]);
            var scale = a.Atol[d] + c.RelativeTolerance * Math.Abs(y);
            var f = TP.ToDouble(a.F0[start + d]) / scale;
            d0 += y / scale * (y / scale);
            d1 += f * f;
        }
        d0 = Math.Sqrt(d0 / c.NormComponents);
        d1 = Math.Sqrt(d1 / c.NormComponents);
        var h0 = c.Direction * FirstStep.Guess(d0, d1, Math.Abs(c.T1 - c.T0));
        for (var d = 0; d < a.Dimension; d++)
            a.Probe[start + d] = a.Y[start + d] + TP.FromDouble(h0) * a.F0[start + d];
        a.ProbeTime[row] = c.T0 + h0;
        a.State.Step[row] = h0;
        a.State.ErrorNorm[row] = d1;
        a.State.Evaluations[row] += 1;
    }

    /// <summary>Second half: the step from the second-derivative estimate |f1 - f0| / h0, then clipped.</summary>
    public static void Estimate<T, TP>(Index1D index, InitialStepArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        int row = index;
        var c = a.Settings;
        var start = (long)row * a.Dimension;
        var h0 = Math.Abs(a.State.Step[row]);
        var d1 = a.State.ErrorNorm[row];
        double d2 = 0;
        for (var d = 0; d < a.Dimension; d++)
        {
            var scale = a.Atol[d] + c.RelativeTolerance * Math.Abs(TP.ToDouble(a.Y[start + d]));
            var diff = TP.ToDouble(a.F1[start + d] - a.F0[start + d]) / scale;
            d2 += diff * diff;
        }
        d2 = Math.Sqrt(d2 / c.NormComponents) / h0;
        SetStep(a, row, FirstStep.Refine(h0, d1, d2, c.Order));
    }

    /// <summary>With one step for the whole batch, every row starts with the smallest estimate; run with one index.</summary>
    public static void Share<T>(Index1D index, InitialStepArgs<T> a) where T : unmanaged
    {
        var rows = (int)a.State.Step.Length;
        var smallest = double.PositiveInfinity;
        for (var row = 0; row < rows; row++)
            smallest = Math.Min(smallest, Math.Abs(a.State.Step[row]));
        for (var row = 0; row < rows; row++)
            SetStep(a, row, smallest);
    }

    /// <summary>Uses the given step as the first step, clipped to the span; fixed-step solves take their grid's first step.</summary>
    public static void UseGiven<T>(Index1D index, InitialStepArgs<T> a) where T : unmanaged
    {
        var c = a.Settings;
        if (c.Adaptive != 0)
        {
            SetStep(a, index, a.Given);
            return;
        }
        var flags = 0;
        a.State.Step[index] = FixedGrid.Step(c.T0, c.T1, c.FixedStep, FixedGrid.Steps(c.T0, c.T1, c.FixedStep), 0, ref flags);
        a.State.Flags[index] = flags;
    }

    private static void SetStep<T>(in InitialStepArgs<T> a, int row, double magnitude) where T : unmanaged
    {
        var flags = 0;
        a.State.Step[row] = StepLimits.Clip(a.Settings.T0, magnitude, a.Settings.T1, a.Settings.MaxStep, ref flags);
        a.State.Flags[row] = flags;
    }
}
