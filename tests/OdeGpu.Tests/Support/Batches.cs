using System.Numerics;
using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Tests.Support;

/// <summary>Small helpers to build batches for tests.</summary>
public static class Batches
{
    /// <summary>The same initial state in every row.</summary>
    public static T[,] Repeat<T>(int rows, params double[] state) where T : IFloatingPointIeee754<T>
    {
        var y0 = new T[rows, state.Length];
        for (var r = 0; r < rows; r++)
            for (var d = 0; d < state.Length; d++)
                y0[r, d] = T.CreateTruncating(state[d]);
        return y0;
    }

    /// <summary>Lorenz parameters s = 10, b = 8/3 and r spread linearly over the rows.</summary>
    public static T[,] LorenzSweep<T>(int rows, double rLow, double rHigh) where T : IFloatingPointIeee754<T>
    {
        var p = new T[rows, 3];
        for (var r = 0; r < rows; r++)
        {
            p[r, 0] = T.CreateTruncating(10.0);
            p[r, 1] = T.CreateTruncating(rows == 1 ? rLow : rLow + (rHigh - rLow) * r / (rows - 1));
            p[r, 2] = T.CreateTruncating(8.0 / 3);
        }
        return p;
    }

    /// <summary>Solves Lorenz rows from (1, 0, 0) with r spread over [rLow, rHigh].</summary>
    public static Solution<T> Lorenz<T>(OdeDevice device, int rows, double rLow, double rHigh, double[] times, SolveOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var dynamics = new SystemDynamics<T, Vec3<T>, Lorenz<T>>(device, default, LorenzSweep<T>(rows, rLow, rHigh));
        return BatchedSolver.Solve(dynamics, Repeat<T>(rows, 1, 0, 0), times, options);
    }
}
