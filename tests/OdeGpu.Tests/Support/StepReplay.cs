using OdeGpu.Tableaux;

namespace OdeGpu.Tests.Support;

/// <summary>
/// A host reference for "the same solve with its steps frozen": one trajectory integrated through given step times with
/// a method's stages, and its outputs at given times from the method's interpolant, as the batched solver computes them.
/// Finite differences of it are the exact gradient the discrete adjoint must reproduce.
/// </summary>
public static class StepReplay
{
    /// <summary>
    /// The states at <paramref name="times"/> (t0 first) of a solve through <paramref name="stepTimes"/> from
    /// <paramref name="y0"/>; outputs past the last step come from its interpolant extended beyond theta = 1.
    /// </summary>
    public static double[][] Outputs(ButcherTableau m, Func<double, double[], double[]> f, double[] y0, double[] stepTimes, double[] times)
    {
        var outputs = new double[times.Length][];
        outputs[0] = y0;
        var next = 1;
        var y = y0;
        for (var n = 0; n + 1 < stepTimes.Length && next < times.Length; n++)
        {
            var (t, end) = (stepTimes[n], stepTimes[n + 1]);
            var h = end - t;
            var k = Stages(m, f, y, t, h);
            var yNew = Combine(y, h, m.B, k);
            var last = n + 2 == stepTimes.Length;
            for (; next < times.Length && (last || Math.Sign(h) * (times[next] - end) <= 0); next++)
                outputs[next] = times[next] == end ? yNew : Combine(y, h, m.Interpolant.Evaluate((times[next] - t) / h), k);
            y = yNew;
        }
        return outputs;
    }

    // Every extended stage: the tableau's, f at the step's end when not FSAL, the extra interpolation stages.
    private static double[][] Stages(ButcherTableau m, Func<double, double[], double[]> f, double[] y, double t, double h)
    {
        var rows = m.A.Concat(m.Fsal ? [] : [m.B]).Concat(m.ExtraA).ToArray();
        double[] nodes = [.. m.C, .. m.Fsal ? Array.Empty<double>() : [1.0], .. m.ExtraC];
        var k = new double[m.ExtendedStages][];
        for (var j = 0; j < k.Length; j++)
            k[j] = f(t + nodes[j] * h, Combine(y, h, rows[j], k));
        return k;
    }

    private static double[] Combine(double[] y, double h, double[] weights, double[][] k)
    {
        var result = (double[])y.Clone();
        for (var j = 0; j < weights.Length && j < k.Length; j++)
        {
            if (weights[j] == 0)
                continue;
            for (var d = 0; d < y.Length; d++)
                result[d] += weights[j] * h * k[j][d];
        }
        return result;
    }
}
