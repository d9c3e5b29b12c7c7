using OdeGpu.Tableaux;

namespace OdeGpu.Bench;

/// <summary>
/// L1(b) as a plain C# loop: adaptive Tsit5 on Lorenz in float32 with the same PI controller (beta1 = 0.7/5,
/// beta2 = 0.4/5, safety 0.9, factor in [0.2, 10]) and the given first step, one trajectory at a time.
/// </summary>
public static class PlainTsit5
{
    private static readonly ButcherTableau M = Methods.Tsit5;

    /// <summary>All trajectories on one thread; returns the total number of attempted steps.</summary>
    public static long SingleThreaded(float[] rho, double rtol, double atol, double dt0) =>
        rho.Sum(r => (long)Trajectory(r, rtol, atol, dt0));

    /// <summary>All trajectories with Parallel.For; returns the total number of attempted steps.</summary>
    public static long Parallel(float[] rho, double rtol, double atol, double dt0)
    {
        var steps = new int[rho.Length];
        System.Threading.Tasks.Parallel.For(0, rho.Length, i => steps[i] = Trajectory(rho[i], rtol, atol, dt0));
        return steps.Sum(s => (long)s);
    }

    private static int Trajectory(float r, double rtol, double atol, double dt0)
    {
        var s = M.Stages;
        var k = new float[s, 3];
        Span<float> y = [1f, 0f, 0f];
        Span<float> stage = stackalloc float[3];
        Span<float> yNew = stackalloc float[3];
        Rhs(r, y, k, 0);
        double t = 0, h = dt0, previous = 1;
        var attempts = 0;
        var rejected = false;
        while (t < 1)
        {
            var last = t + h >= 1;
            if (last)
                h = 1 - t;
            for (var i = 1; i < s; i++)
            {
                for (var d = 0; d < 3; d++)
                {
                    var acc = y[d];
                    for (var j = 0; j < i; j++)
                        acc += (float)(h * M.A[i][j]) * k[j, d];
                    stage[d] = acc;
                }
                Rhs(r, stage, k, i);
            }
            double sum = 0;
            for (var d = 0; d < 3; d++)
            {
                float acc = y[d], err = 0;
                for (var j = 0; j < s; j++)
                {
                    acc += (float)(h * M.B[j]) * k[j, d];
                    err += (float)(h * M.BError![j]) * k[j, d];
                }
                yNew[d] = acc;
                var scale = atol + rtol * Math.Max(Math.Abs(y[d]), Math.Abs(acc));
                sum += err / scale * (err / scale);
            }
            var norm = Math.Sqrt(sum / 3);
            attempts++;
            if (norm <= 1)
            {
                t = last ? 1 : t + h;
                yNew.CopyTo(y);
                for (var d = 0; d < 3; d++)
                    k[0, d] = k[s - 1, d];
                var factor = norm == 0 ? 10 : 0.9 * Math.Pow(norm, -0.7 / 5) * Math.Pow(previous, 0.4 / 5);
                factor = Math.Min(10, Math.Max(0.2, factor));
                h *= rejected ? Math.Min(1, factor) : factor;
                previous = Math.Max(norm, 1e-4);
                rejected = false;
            }
            else
            {
                h *= Math.Max(0.2, 0.9 * Math.Pow(norm, -1.0 / 5));
                rejected = true;
            }
        }
        return attempts;
    }

    private static void Rhs(float r, ReadOnlySpan<float> y, float[,] k, int stage)
    {
        k[stage, 0] = 10f * (y[1] - y[0]);
        k[stage, 1] = y[0] * (r - y[2]) - y[1];
        k[stage, 2] = y[0] * y[1] - 8f / 3 * y[2];
    }
}
