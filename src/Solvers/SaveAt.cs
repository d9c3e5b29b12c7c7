namespace OdeGpu;

/// <summary>What a solve keeps: the final state (the default), the states at given times, or every accepted step.</summary>
public sealed record SaveAt
{
    private readonly double[] _times;

    private SaveAt(SaveKind kind, double[] times)
    {
        Kind = kind;
        _times = times;
    }

    /// <summary>Only the state at t1.</summary>
    public static SaveAt Final { get; } = new(SaveKind.Final, []);

    /// <summary>
    /// The state at t0 and at the end of every accepted step, each trajectory with its own times (the solution's
    /// TrajectoryTimes): a buffer of <see cref="SolveOptions.MaxSteps"/> + 1 per trajectory, padded with NaN after its
    /// last step, so choose MaxSteps with the memory in mind. This is what a discrete adjoint replays.
    /// </summary>
    public static SaveAt Steps { get; } = new(SaveKind.Steps, []);

    /// <summary>What is kept.</summary>
    public SaveKind Kind { get; }

    /// <summary>The given times (empty unless <see cref="Kind"/> is <see cref="SaveKind.Times"/>).</summary>
    public IReadOnlyList<double> OutputTimes => _times;

    /// <summary>The states at <paramref name="times"/>, which must lie in [t0, t1] in the direction of integration, by dense output.</summary>
    /// <exception cref="ArgumentException">No times, or a time that is not finite.</exception>
    public static SaveAt Times(params double[] times)
    {
        if (times.Length == 0)
            throw new ArgumentException("SaveAt.Times needs at least one time", nameof(times));
        if (times.Any(t => !double.IsFinite(t)))
            throw new ArgumentException($"SaveAt.Times must be finite, but holds {times.First(t => !double.IsFinite(t))}", nameof(times));
        return new(SaveKind.Times, (double[])times.Clone());
    }

    /// <summary>
    /// The solver's output grid for the span [t0, t1] (t0 first, t1 last, as the solvers take it) and which of its
    /// entries the caller asked for.
    /// </summary>
    /// <exception cref="ArgumentException">A time lies outside the span or against its direction, or t0 = t1.</exception>
    internal (double[] Grid, int[] Kept) Grid(double t0, double t1)
    {
        if (t0 == t1 || !double.IsFinite(t0) || !double.IsFinite(t1))
            throw new ArgumentException($"the span [t0, t1] must be finite and not empty, but is [{t0}, {t1}]", "span");
        if (Kind != SaveKind.Times)
            return ([t0, t1], [Kind == SaveKind.Final ? 1 : 0]);
        var direction = Math.Sign(t1 - t0);
        for (var i = 0; i < _times.Length; i++)
        {
            if (direction * (_times[i] - t0) < 0 || direction * (t1 - _times[i]) < 0)
                throw new ArgumentException($"SaveAt.Times[{i}] = {_times[i]} lies outside the span [{t0}, {t1}]", "saveAt");
            if (i > 0 && direction * (_times[i] - _times[i - 1]) <= 0)
                throw new ArgumentException(
                    $"SaveAt.Times must be strictly monotonic in the direction of integration, but [{i}] = {_times[i]} follows {_times[i - 1]}", "saveAt");
        }
        var head = _times[0] == t0 ? 0 : 1;
        var grid = (head == 1 ? [t0] : Array.Empty<double>()).Concat(_times).Concat(_times[^1] == t1 ? [] : [t1]).ToArray();
        return (grid, Enumerable.Range(head, _times.Length).ToArray());
    }
}
