using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Adjoint;
using OdeGpu.Device;

namespace OdeGpu.Tests.Support;

/// <summary>
/// dz/dt = A z + t b with A and b shared by every row (theta = A row-major, then b), differentiated by hand: a test
/// dynamics whose gradients have closed forms.
/// </summary>
public sealed class LinearDynamics : IDifferentiableDynamics<double>, IDisposable
{
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _theta, _rowParameters;

    /// <summary>Uploads A ([dim, dim]) and b ([dim]).</summary>
    public LinearDynamics(OdeDevice device, double[,] a, double[] b, int rows)
    {
        Device = device;
        Rows = rows;
        Dimension = b.Length;
        _theta = device.Upload([.. a.Cast<double>(), .. b]);
        _rowParameters = device.Allocate<double>(rows * ParameterCount);
    }

    /// <inheritdoc />
    public OdeDevice Device { get; }

    /// <inheritdoc />
    public int Rows { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public int ParameterCount => Dimension * Dimension + Dimension;

    /// <inheritdoc />
    public bool SharedParameters => true;

    /// <inheritdoc />
    public void Evaluate(ArrayView<double> time, ArrayView<double> y, ArrayView<double> dy) =>
        Device.Launch(LinearKernels.Evaluate, Rows, Args(time, y, y) with { F = dy });

    /// <inheritdoc />
    public void Vjp(ArrayView<double> time, ArrayView<double> y, ArrayView<double> a, ArrayView<double> f, ArrayView<double> aY,
        ArrayView<double> aTheta, ArrayView<double> aT, bool sumRows = false)
    {
        if (!sumRows)
        {
            Device.Launch(LinearKernels.Vjp, Rows, Args(time, y, a) with { F = f, AdjointY = aY, AdjointTheta = aTheta, AdjointTime = aT });
            return;
        }
        Device.Launch(LinearKernels.Vjp, Rows, Args(time, y, a) with { F = f, AdjointY = aY, AdjointTheta = _rowParameters.View, AdjointTime = aT });
        Device.Launch(LinearKernels.SumRows, ParameterCount, Args(time, y, a) with { AdjointTheta = _rowParameters.View, F = aTheta, Rows = Rows });
    }

    /// <inheritdoc />
    public void Jvp(ArrayView<double> time, ArrayView<double> y, ArrayView<double> v, ArrayView<double> jv) =>
        Device.Launch(LinearKernels.Jvp, Rows, Args(time, y, v) with { F = jv });

    /// <inheritdoc />
    public void Dispose()
    {
        _theta.Dispose();
        _rowParameters.Dispose();
    }

    private LinearArgs Args(ArrayView<double> time, ArrayView<double> y, ArrayView<double> v) =>
        new() { Time = time, Y = y, V = v, Theta = _theta.View, Dimension = Dimension };
}

/// <summary>Arguments of <see cref="LinearKernels"/>.</summary>
public struct LinearArgs
{
    /// <summary>Per-row times.</summary>
    public ArrayView<double> Time;

    /// <summary>States, cotangents or tangents, [rows x dim].</summary>
    public ArrayView<double> Y, V;

    /// <summary>A row-major, then b.</summary>
    public ArrayView<double> Theta;

    /// <summary>Outputs.</summary>
    public ArrayView<double> F, AdjointY, AdjointTheta, AdjointTime;

    /// <summary>The state dimension.</summary>
    public int Dimension;

    /// <summary>Rows, for the sum over them.</summary>
    public int Rows;
}

/// <summary>One row of <see cref="LinearDynamics"/> per thread.</summary>
public static class LinearKernels
{
    /// <summary>f = A z + t b.</summary>
    public static void Evaluate(Index1D row, LinearArgs a)
    {
        var n = a.Dimension;
        for (var i = 0; i < n; i++)
        {
            var sum = a.Time[row] * a.Theta[n * n + i];
            for (var j = 0; j < n; j++)
                sum += a.Theta[i * n + j] * a.Y[row * n + j];
            a.F[row * n + i] = sum;
        }
    }

    /// <summary>f, a^T A, a_i z_j and a_i t, a . b.</summary>
    public static void Vjp(Index1D row, LinearArgs a)
    {
        Evaluate(row, a);
        var n = a.Dimension;
        var p = n * n + n;
        var dt = 0.0;
        for (var j = 0; j < n; j++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += a.V[row * n + i] * a.Theta[i * n + j];
                a.AdjointTheta[row * p + j * n + i] = a.V[row * n + j] * a.Y[row * n + i];
            }
            a.AdjointY[row * n + j] = sum;
            a.AdjointTheta[row * p + n * n + j] = a.V[row * n + j] * a.Time[row];
            dt += a.V[row * n + j] * a.Theta[n * n + j];
        }
        a.AdjointTime[row] = dt;
    }

    /// <summary>F[p] = the sum over rows of AdjointTheta[row, p], in row order.</summary>
    public static void SumRows(Index1D p, LinearArgs a)
    {
        var count = a.Dimension * a.Dimension + a.Dimension;
        var sum = 0.0;
        for (var r = 0; r < a.Rows; r++)
            sum += a.AdjointTheta[r * count + p];
        a.F[p] = sum;
    }

    /// <summary>A v.</summary>
    public static void Jvp(Index1D row, LinearArgs a)
    {
        var n = a.Dimension;
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
                sum += a.Theta[i * n + j] * a.V[row * n + j];
            a.F[row * n + i] = sum;
        }
    }
}
