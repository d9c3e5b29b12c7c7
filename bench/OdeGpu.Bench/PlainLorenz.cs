namespace OdeGpu.Bench;

/// <summary>The same fixed RK4 steps on Lorenz as plain C# loops: the baseline a batched solver must beat.</summary>
public static class PlainLorenz
{
    /// <summary>Integrates every trajectory on one thread; returns the sum of final x (so nothing is optimised away).</summary>
    public static float SingleThreaded(float[] rho, float dt, int steps)
    {
        var sum = 0f;
        for (var i = 0; i < rho.Length; i++)
            sum += Trajectory(rho[i], dt, steps);
        return sum;
    }

    /// <summary>Integrates the trajectories with Parallel.For over chunks.</summary>
    public static float Parallel(float[] rho, float dt, int steps)
    {
        var results = new float[rho.Length];
        System.Threading.Tasks.Parallel.For(0, rho.Length, i => results[i] = Trajectory(rho[i], dt, steps));
        return results.Sum();
    }

    private static float Trajectory(float r, float dt, int steps)
    {
        float x = 1, y = 0, z = 0;
        const float s = 10f, b = 8f / 3;
        var half = dt / 2;
        for (var n = 0; n < steps; n++)
        {
            var (k1x, k1y, k1z) = (s * (y - x), x * (r - z) - y, x * y - b * z);
            float x2 = x + half * k1x, y2 = y + half * k1y, z2 = z + half * k1z;
            var (k2x, k2y, k2z) = (s * (y2 - x2), x2 * (r - z2) - y2, x2 * y2 - b * z2);
            float x3 = x + half * k2x, y3 = y + half * k2y, z3 = z + half * k2z;
            var (k3x, k3y, k3z) = (s * (y3 - x3), x3 * (r - z3) - y3, x3 * y3 - b * z3);
            float x4 = x + dt * k3x, y4 = y + dt * k3y, z4 = z + dt * k3z;
            var (k4x, k4y, k4z) = (s * (y4 - x4), x4 * (r - z4) - y4, x4 * y4 - b * z4);
            x += dt / 6 * (k1x + 2 * k2x + 2 * k3x + k4x);
            y += dt / 6 * (k1y + 2 * k2y + 2 * k3y + k4y);
            z += dt / 6 * (k1z + 2 * k2z + 2 * k3z + k4z);
        }
        return x;
    }
}
