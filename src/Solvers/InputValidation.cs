using System.Numerics;
using OdeGpu.Control;

namespace OdeGpu;

/// <summary>Checks a solve's inputs before anything is launched; every message names the argument and what was expected.</summary>
public static class InputValidation
{
    /// <summary>Initial values must be [rows x dim] and finite.</summary>
    /// <exception cref="ArgumentException">The shape is wrong or a value is NaN or infinite.</exception>
    public static void InitialValues<T>(T[,] y0, int rows, int dimension) where T : IFloatingPointIeee754<T>
    {
        if (y0.GetLength(0) != rows || y0.GetLength(1) != dimension)
            throw new ArgumentException($"y0 must be [{rows} x {dimension}] (rows x state dimension), but is [{y0.GetLength(0)} x {y0.GetLength(1)}]", nameof(y0));
        for (var r = 0; r < rows; r++)
            for (var d = 0; d < dimension; d++)
                if (!T.IsFinite(y0[r, d]))
                    throw new ArgumentException($"y0[{r}, {d}] is {y0[r, d]}: initial values must be finite", nameof(y0));
    }

    /// <summary>A parameter array must be [rows x parameterCount] and finite.</summary>
    /// <exception cref="ArgumentException">The shape does not fit the system or a parameter is NaN or infinite.</exception>
    public static void Parameters<T>(T[,] parameters, int rows, int parameterCount) where T : IFloatingPointIeee754<T>
    {
        if (parameters.GetLength(0) != rows || parameters.GetLength(1) != parameterCount)
            throw new ArgumentException(
                $"parameters must be [{rows} x {parameterCount}] (trajectories x the system's parameters), but is [{parameters.GetLength(0)} x {parameters.GetLength(1)}]; " +
                "pass null to use the system's own fields",
                nameof(parameters));
        for (var r = 0; r < rows; r++)
            for (var k = 0; k < parameterCount; k++)
                if (!T.IsFinite(parameters[r, k]))
                    throw new ArgumentException($"parameters[{r}, {k}] is {parameters[r, k]}: parameters must be finite", nameof(parameters));
    }

    /// <summary>Output times: at least two, finite, strictly increasing or strictly decreasing.</summary>
    /// <exception cref="ArgumentException">Fewer than two times, a non-finite time, or a repeat or reversal.</exception>
    public static void Times(double[] times, string argument = "times")
    {
        if (times.Length < 2)
            throw new ArgumentException($"{argument} must hold at least two values (t0 and t1), but has {times.Length}", argument);
        for (var i = 0; i < times.Length; i++)
            if (!double.IsFinite(times[i]))
                throw new ArgumentException($"{argument}[{i}] is {times[i]}: times must be finite", argument);
        var direction = Math.Sign(times[1] - times[0]);
        for (var i = 1; i < times.Length; i++)
            if (Math.Sign(times[i] - times[i - 1]) != direction || direction == 0)
                throw new ArgumentException(
                    $"{argument} must be strictly monotonic, but {argument}[{i}] = {times[i]} follows {argument}[{i - 1}] = {times[i - 1]}", argument);
    }

    /// <summary>The calls that take output times save at those and run in their own mode: they refuse options that say otherwise.</summary>
    /// <exception cref="ArgumentException">SaveAt or Mode is set.</exception>
    public static void TimesGiven(SolveOptions options)
    {
        if (options.SaveAt != SaveAt.Final)
            throw new ArgumentException("SaveAt is for Ode.Solve; this call saves at the times it is given", "saveAt");
        if (options.Mode != SolveMode.Auto)
            throw new ArgumentException("Mode is for Ode.Solve; this call's mode is fixed by the solver called", "mode");
    }

    /// <summary>Options must be in range and fit the method and the dimension.</summary>
    /// <exception cref="ArgumentException">A tolerance, step or limit is out of range, or the method cannot adapt.</exception>
    public static void Options(SolveOptions options, int dimension)
    {
        var method = options.Method;
        switch (options.Controller)
        {
            case FixedStep f when !(f.Dt > 0) || !double.IsFinite(f.Dt):
                throw new ArgumentException($"dt must be positive and finite, but was {f.Dt}", "dt");
            case AdaptiveController a:
                if (!method.IsAdaptive)
                    throw new ArgumentException(
                        $"method '{method.Name}' has no error estimate, so it cannot adapt its step: give a fixed step (dt) or choose bosh3, dopri5, tsit5, dopri8 or heun",
                        "method");
                if (!(a.Rtol > 0) || !double.IsFinite(a.Rtol))
                    throw new ArgumentException($"rtol must be positive and finite, but was {a.Rtol}", "rtol");
                if (a.Atol.Length != 1 && a.Atol.Length != dimension)
                    throw new ArgumentException($"atol must have 1 or {dimension} (state dimension) values, but has {a.Atol.Length}", "atol");
                for (var i = 0; i < a.Atol.Length; i++)
                    if (!(a.Atol[i] > 0) || !double.IsFinite(a.Atol[i]))
                        throw new ArgumentException($"atol[{i}] must be positive and finite, but was {a.Atol[i]}", "atol");
                if (!(a.Safety > 0 && a.Safety <= 1) || !(a.MinFactor > 0 && a.MinFactor < 1) || !(a.MaxFactor > 1) || !double.IsFinite(a.MaxFactor))
                    throw new ArgumentException("controller factors must satisfy 0 < safety <= 1, 0 < min factor < 1 < max factor < infinity", "controller");
                break;
        }
        if (options.ErrorComponents is { } components)
        {
            if (components.Length == 0)
                throw new ArgumentException("error components must name at least one component, or be null for all", "errorComponents");
            if (components.Any(c => c < 0 || c >= dimension))
                throw new ArgumentException(
                    $"error components must lie in [0, {dimension}) (the state dimension), but hold {components.First(c => c < 0 || c >= dimension)}", "errorComponents");
            if (components.Distinct().Count() != components.Length)
                throw new ArgumentException("error components must not repeat a component", "errorComponents");
        }
        if (options.MaxSteps < 1)
            throw new ArgumentException($"max steps must be at least 1, but was {options.MaxSteps}", "maxSteps");
        if (!(options.MinStep >= 0) || !double.IsFinite(options.MinStep))
            throw new ArgumentException($"min step must be zero or positive and finite, but was {options.MinStep}", "minStep");
        if (!(options.MaxStep > 0))
            throw new ArgumentException($"max step must be positive, but was {options.MaxStep}", "maxStep");
        if (options.MinStep > options.MaxStep)
            throw new ArgumentException($"min step must not exceed max step, but min step is {options.MinStep} and max step {options.MaxStep}", "minStep");
        if (options.InitialStep is { } h && (!(h > 0) || !double.IsFinite(h)))
            throw new ArgumentException($"initial step must be positive and finite, but was {h}", "initialStep");
    }
}
