using OdeGpu.BuiltIn;
using OdeGpu.Cli.Output;
using OdeGpu.Control;
using OdeGpu.Device;
using OdeGpu.Ensemble;
using OdeGpu.Tableaux;

namespace OdeGpu.Cli.Commands;

/// <summary>A parsed and checked <c>odegpu solve</c> command line.</summary>
internal sealed record SolveRequest(
    BuiltInSystem System,
    double[,] Parameters,
    double[] Y0,
    double[] Times,
    string Precision,
    string Mode,
    DeviceKind? Device,
    string? OutPath,
    string? StatsPath,
    SolveOptions Options,
    EnsembleOptions Ensemble)
{
    /// <summary>Options that take a value.</summary>
    public static readonly string[] Valued =
    [
        "--trajectories", "--y0", "--times", "--method", "--dt", "--rtol", "--atol", "--controller", "--precision", "--mode",
        "--device", "--out", "--stats", "--max-steps", "--min-step", "--max-step", "--first-step", "--slice-steps", "--chunk",
        "--simd",
    ];

    /// <summary>Options that may be repeated.</summary>
    public static readonly string[] Repeatable = ["--param"];

    /// <summary>Options without a value.</summary>
    public static readonly string[] Flags = ["--shared-step", "--no-compaction"];

    // float32 resolves about 6e-8 relative; below rtol 1e-6 the error estimate is mostly round-off.
    private const double Float32Rtol = 1e-6;

    /// <summary>Number of trajectories.</summary>
    public int Trajectories => Parameters.GetLength(0);

    /// <summary>A warning for a request that runs but wastes work, or null.</summary>
    public string? Warning => Precision == "float32" && Options.Controller is AdaptiveController { Rtol: < Float32Rtol } adaptive
        ? $"warning: --rtol {adaptive.Rtol:G3} is below what float32 resolves (about 6e-8 relative), so steps get rejected on round-off; use --precision float64 or --rtol {Float32Rtol:G1} or larger"
        : null;

    /// <summary>Parses and checks everything before any device is opened.</summary>
    /// <exception cref="ArgumentException">Any argument is missing, malformed or out of range; the message names it.</exception>
    public static SolveRequest Parse(CommandLine line)
    {
        if (line.Positional.Count != 1)
            throw new ArgumentException(
                line.Positional.Count == 0 ? "SYSTEM is missing: odegpu solve SYSTEM ..." : $"expected one SYSTEM, but got '{string.Join(' ', line.Positional)}'", "SYSTEM");
        var system = BuiltInSystem.Parse(line.Positional[0]);
        var trajectories = line.Int("--trajectories") ?? 1;
        if (trajectories < 1)
            throw new ArgumentException($"--trajectories must be at least 1, but was {trajectories}", "--trajectories");
        var y0 = line.DoubleList("--y0") ?? throw new ArgumentException("--y0 is required: the initial state, e.g. --y0 1,0,0", "--y0");
        if (system.Dimension is { } d && y0.Length != d)
            throw new ArgumentException($"--y0 must have {d} components for {system.Name}, but has {y0.Length}", "--y0");
        for (var i = 0; i < y0.Length; i++)
            if (!double.IsFinite(y0[i]))
                throw new ArgumentException($"--y0[{i}] is {y0[i]}: initial values must be finite", "--y0");
        var times = line.DoubleList("--times") ?? throw new ArgumentException("--times is required: t0,...,t1, e.g. --times 0,0.5,1", "--times");
        InputValidation.Times(times, "--times");

        var precision = line.Value("--precision") ?? "float64";
        if (precision is not ("float32" or "float64"))
            throw new ArgumentException($"--precision must be float32 or float64, but was '{precision}'", "--precision");
        var mode = line.Value("--mode") ?? "ensemble";
        if (mode is not ("ensemble" or "batched"))
            throw new ArgumentException($"--mode must be ensemble or batched, but was '{mode}'", "--mode");
        if (line.Has("--shared-step") && mode != "batched")
            throw new ArgumentException("--shared-step needs --mode batched: in the ensemble mode every trajectory has its own step", "--shared-step");
        if (mode == "batched" && (line.Value("--slice-steps") is not null || line.Value("--chunk") is not null || line.Has("--no-compaction") || line.Value("--simd") is not null))
            throw new ArgumentException("--slice-steps, --chunk, --no-compaction and --simd schedule the ensemble mode; drop them or use --mode ensemble", "--mode");
        var simd = line.Value("--simd") ?? "on";
        if (simd is not ("on" or "off"))
            throw new ArgumentException($"--simd must be on or off, but was '{simd}'", "--simd");
        var ensemble = new EnsembleOptions
        {
            SliceSteps = line.Int("--slice-steps") ?? new EnsembleOptions().SliceSteps,
            Compaction = !line.Has("--no-compaction"),
            ChunkSize = line.Int("--chunk"),
            Simd = simd == "on",
        };
        if (ensemble.SliceSteps < 1)
            throw new ArgumentException($"--slice-steps must be at least 1, but was {ensemble.SliceSteps}", "--slice-steps");
        if (ensemble.ChunkSize is < 1)
            throw new ArgumentException($"--chunk must be at least 1, but was {ensemble.ChunkSize}", "--chunk");
        var device = line.Value("--device") is { } dev ? DeviceCatalog.Parse(dev, "--device") : (DeviceKind?)null;
        var outPath = line.Value("--out");
        if (outPath is not null && !outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--out must name a .csv or .parquet file, but was '{outPath}'", "--out");
        var statsPath = line.Value("--stats");
        if (statsPath is not null && !statsPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--stats must name a .json file, but was '{statsPath}'", "--stats");
        OutputProbe.CheckWritable(outPath, "--out");
        OutputProbe.CheckWritable(statsPath, "--stats");

        var options = new SolveOptions
        {
            Method = Methods.Parse(line.Value("--method") ?? "dopri5", "--method"),
            Controller = Controller(line),
            MaxSteps = line.Int("--max-steps") ?? 100_000,
            MinStep = line.Double("--min-step") ?? 0,
            MaxStep = line.Double("--max-step") ?? double.PositiveInfinity,
            InitialStep = line.Double("--first-step"),
            SharedStep = line.Has("--shared-step"),
        };
        InputValidation.Options(options, y0.Length);
        HostMemory.CheckTrajectories(trajectories, y0.Length, system.Parameters.Length, times.Length, precision == "float32" ? 4 : 8, mode == "batched");
        return new SolveRequest(system, SpreadParameters(system, line.Values("--param"), trajectories), y0, times, precision, mode, device, outPath, statsPath, options, ensemble);
    }

    private static StepSizeController Controller(CommandLine line)
    {
        var dt = line.Double("--dt");
        var rtol = line.Double("--rtol");
        var atol = line.DoubleList("--atol");
        var kind = line.Value("--controller");
        if (dt is { } step)
        {
            if (rtol is not null || atol is not null || kind is not null)
                throw new ArgumentException("--dt fixes the step, so --rtol, --atol and --controller cannot be given with it", "--dt");
            return new FixedStep(step);
        }
        var r = rtol ?? 1e-6;
        var a = atol ?? [1e-9];
        return (kind ?? "pi") switch
        {
            "pi" => new PIController(r, a),
            "integral" => new IntegralController(r, a),
            _ => throw new ArgumentException($"--controller must be pi or integral, but was '{kind}'", "--controller"),
        };
    }

    // NAME=VALUE for every trajectory, or NAME=LO:HI spread linearly from the first trajectory to the last.
    private static double[,] SpreadParameters(BuiltInSystem system, IReadOnlyList<string> given, int rows)
    {
        var result = new double[rows, system.Parameters.Length];
        for (var p = 0; p < system.Parameters.Length; p++)
            for (var r = 0; r < rows; r++)
                result[r, p] = system.Defaults[p];
        var seen = new HashSet<string>();
        foreach (var text in given)
        {
            var eq = text.IndexOf('=');
            if (eq <= 0)
                throw new ArgumentException($"--param must be NAME=VALUE or NAME=LO:HI, but was '{text}'", "--param");
            var name = text[..eq];
            var index = Array.IndexOf(system.Parameters, name);
            if (index < 0)
                throw new ArgumentException(
                    system.Parameters.Length == 0
                        ? $"--param {name}: {system.Name} has no parameters"
                        : $"--param {name}: {system.Name} has parameters {string.Join(", ", system.Parameters)}", "--param");
            if (!seen.Add(name))
                throw new ArgumentException($"--param {name} was given twice", "--param");
            var range = text[(eq + 1)..].Split(':');
            if (range.Length > 2)
                throw new ArgumentException($"--param {name} must be VALUE or LO:HI, but was '{text[(eq + 1)..]}'", "--param");
            if (range.Length == 2 && rows == 1)
                throw new ArgumentException(
                    $"--param {text} spreads {name} over the trajectories, but there is one: give --trajectories N or a single value", "--param");
            var lo = CommandLine.ParseDouble(range[0], $"--param {name}");
            var hi = range.Length == 2 ? CommandLine.ParseDouble(range[1], $"--param {name}") : lo;
            if (!double.IsFinite(lo) || !double.IsFinite(hi))
                throw new ArgumentException($"--param {name} must be finite, but was '{text[(eq + 1)..]}'", "--param");
            for (var r = 0; r < rows; r++)
                result[r, index] = rows == 1 ? lo : lo + (hi - lo) * r / (rows - 1);
        }
        return result;
    }
}
