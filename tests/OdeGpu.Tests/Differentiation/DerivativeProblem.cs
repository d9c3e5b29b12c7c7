using OdeGpu.Batched;
using OdeGpu.Device;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Differentiation;

/// <summary>
/// A few rows of one system at seeded points, each row with its own time and parameters, and the reference:
/// derivatives of the system's own Evaluate on double by central differences, one input column [y | t | p] at a time.
/// </summary>
public sealed class DerivativeProblem<TState, TSystem>
    where TState : unmanaged, IStateVector<TState, double>
    where TSystem : struct, IOdeSystem<double, TState>
{
    /// <summary>Rows in the batch.</summary>
    public const int Rows = 3;

    private readonly TSystem _system;

    /// <summary>Seeded points: components spread apart (bodies of Pleiades stay 0.37 apart), parameters near 1.</summary>
    public DerivativeProblem(TSystem system, int seed = 7)
    {
        _system = system;
        var random = new Random(seed);
        Time = [.. Enumerable.Range(0, Rows).Select(r => 0.3 + 0.1 * r)];
        Y = [.. Enumerable.Range(0, Rows * Dimension).Select(i => 0.5 + 0.37 * (i % Dimension) + 0.1 * random.NextDouble())];
        Parameters = [.. Enumerable.Range(0, Rows * ParameterCount).Select(i => 0.5 + 0.3 * (i % ParameterCount) + 0.1 * random.NextDouble())];
    }

    /// <summary>The state's dimension.</summary>
    public int Dimension => TState.Dimension;

    /// <summary>The system's parameter count.</summary>
    public int ParameterCount => _system.ParameterCount;

    /// <summary>Input columns per row: dimension + 1 + parameters.</summary>
    public int Columns => Dimension + 1 + ParameterCount;

    /// <summary>Each row's time.</summary>
    public double[] Time { get; }

    /// <summary>The states, [rows x dim].</summary>
    public double[] Y { get; }

    /// <summary>The parameters, [rows x parameters].</summary>
    public double[] Parameters { get; }

    /// <summary>Seeded values, [rows x dim], for directions and cotangents.</summary>
    public double[] Random(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Rows * Dimension).Select(_ => 2 * random.NextDouble() - 1)];
    }

    /// <summary>The batch dynamics with each row's parameters.</summary>
    public SystemDynamics<double, TState, TSystem> Dynamics(OdeDevice device)
    {
        var matrix = new double[Rows, ParameterCount];
        for (var i = 0; i < Parameters.Length; i++)
            matrix[i / ParameterCount, i % ParameterCount] = Parameters[i];
        return new(device, _system, matrix);
    }

    /// <summary>df/d(input column c) at row <paramref name="row"/> by central differences.</summary>
    public double[] Column(int row, int c) => CentralDifference.Of(s =>
    {
        var y = Y[(row * Dimension)..((row + 1) * Dimension)];
        var p = Parameters[(row * ParameterCount)..((row + 1) * ParameterCount)];
        var t = Time[row];
        if (c < Dimension)
            y[c] += s;
        else if (c == Dimension)
            t += s;
        else
            p[c - Dimension - 1] += s;
        return Evaluate(t, y, p);
    });

    /// <summary>a[row]^T df/d(input column c) by central differences.</summary>
    public double Product(double[] a, int row, int c) =>
        Column(row, c).Select((d, i) => a[row * Dimension + i] * d).Sum();

    private double[] Evaluate(double t, double[] y, double[] p)
    {
        var system = _system;
        if (ParameterCount > 0)
            system.LoadParameters(new ArrayParameters<double>(p));
        var f = system.Evaluate(t, TState.FromComponents(y));
        return [.. Enumerable.Range(0, Dimension).Select(i => TState.Component(f, i))];
    }
}
