using System.Globalization;
using System.Text.Json;
using OdeGpu.Cli.Bench;
using OdeGpu.Cli.Output;
using OdeGpu.Device;
using OdeGpu.Tableaux;

namespace OdeGpu.Cli.Commands;

/// <summary>
/// <c>odegpu bench ensemble</c>: the L1 and V1 workloads of BENCHMARKS.md on one device; <c>odegpu bench neural</c>:
/// N2, an MLP's forward solve and both gradients; each as a table and JSON.
/// </summary>
internal static class BenchCommand
{
    private const string Usage = "usage: odegpu bench ensemble [--device cpu|cuda|opencl] [--min-n N] [--max-n N] [--workloads l1a,l1b,l1c,l1d,v1] [--simd on|off|both] [--out FILE.json]\n"
        + "       odegpu bench neural [--device cpu|cuda|opencl] [--batch 64,65536] [--methods dopri5,tsit5] [--adjoints none,discrete,continuous] [--repeats N] [--out FILE.json]";

    private static readonly string[] Workloads = ["l1a", "l1b", "l1c", "l1d", "v1"];

    /// <summary>Runs the chosen workloads; returns 0.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error) => args.FirstOrDefault() switch
    {
        "ensemble" => EnsembleAsync(args, output, error),
        "neural" => NeuralAsync(args, output, error),
        _ => throw new ArgumentException(Usage, "bench"),
    };

    private static async Task<int> EnsembleAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var line = CommandLine.Parse(args, ["--device", "--max-n", "--min-n", "--workloads", "--simd", "--out"], [], []);
        if (line.Positional is not ["ensemble"])
            throw new ArgumentException(Usage, "bench");
        var workloads = List(line, "--workloads", Workloads, Workloads);
        var (kind, outPath) = DeviceAndOutput(line);

        using var device = OdeDevice.Open(kind);
        var maxN = line.Int("--max-n") ?? (device.Kind == DeviceKind.Cpu ? 8192 : 1 << 23);
        var minN = line.Int("--min-n") ?? 512;
        if (minN < 8 || maxN < minN)
            throw new ArgumentException($"--min-n must be at least 8 and at most --max-n, but they are {minN} and {maxN}", "--min-n");
        var sizes = Sizes(minN, maxN).ToArray();
        // V1 is defined on 256 oscillators; the size flags, when given, apply to it too.
        int[] v1Sizes = line.Value("--min-n") is null && line.Value("--max-n") is null ? [256] : sizes;
        output.WriteLine($"odegpu bench ensemble on {device.Description}; N = {string.Join(", ", sizes)}");

        bool[] paths = (line.Value("--simd") ?? "on") switch
        {
            "on" => [true],
            "off" => [false],
            "both" => [false, true],
            var other => throw new ArgumentException($"--simd must be on, off or both, but was '{other}'", "--simd"),
        };
        var bench = new EnsembleBenchmark(device, error, paths);
        var rows = new List<BenchRow>();
        foreach (var workload in workloads)
            rows.AddRange(workload switch
            {
                "l1a" => bench.L1a(sizes),
                "l1b" => bench.L1b(sizes),
                "l1c" => bench.L1c(sizes),
                "l1d" => bench.L1d(sizes),
                _ => bench.V1(v1Sizes),
            });
        Print(output, rows);
        await WriteJsonAsync(outPath, device, rows, new JsonSerializerOptions { WriteIndented = true }, output);
        return 0;
    }

    private static async Task<int> NeuralAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var line = CommandLine.Parse(args, ["--device", "--batch", "--methods", "--adjoints", "--repeats", "--out"], [], []);
        if (line.Positional is not ["neural"])
            throw new ArgumentException(Usage, "bench");
        var batches = (line.Value("--batch") ?? "64,65536").Split(',').Select(b =>
            int.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
                : throw new ArgumentException($"--batch must list positive integers, but has '{b}'", "--batch")).ToArray();
        var methods = List(line, "--methods", ["dopri5", "tsit5"], ["dopri5", "tsit5"]).Select(m => Methods.Parse(m, "--methods")).ToArray();
        var adjoints = List(line, "--adjoints", NeuralBenchmark.Adjoints, NeuralBenchmark.Adjoints);
        var repeats = line.Int("--repeats") ?? 3;
        if (repeats < 1)
            throw new ArgumentException($"--repeats must be at least 1, but was {repeats}", "--repeats");
        var (kind, outPath) = DeviceAndOutput(line);

        using var device = OdeDevice.Open(kind);
        output.WriteLine($"odegpu bench neural (N2: MLP 4-32-32-4 softplus, float32, rtol = atol = 1e-6) on {device.Description}");
        var bench = new NeuralBenchmark(device, repeats, error);
        var rows = batches.SelectMany(b => methods.SelectMany(m => bench.Run(b, m, adjoints))).ToList();
        output.WriteLine($"{"batch",7}  {"method",-7}  {"adjoint",-10}  {"seminorm",-8}  {"seconds",9}  {"nfe fwd",8}  {"nfe bwd",8}  {"ms/eval",8}");
        foreach (var r in rows)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Batch,7}  {r.Method,-7}  {r.Adjoint,-10}  {(r.Adjoint == "continuous" ? r.Seminorm ? "on" : "off" : "-"),-8}  {r.Seconds,9:F4}  {r.NfeForward,8:F1}  {r.NfeBackward,8:F1}  {1e3 * r.SecondsPerEvaluation,8:F3}"));
        await WriteJsonAsync(outPath, device, rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }, output);
        return 0;
    }

    // A comma-separated option's entries, each one of `allowed`.
    private static string[] List(CommandLine line, string option, string[] allowed, string[] defaults)
    {
        var values = line.Value(option)?.Split(',') ?? defaults;
        foreach (var v in values.Where(v => !allowed.Contains(v)))
            throw new ArgumentException($"{option} must list some of {string.Join(", ", allowed)}, but has '{v}'", option);
        return values;
    }

    private static (DeviceKind? Kind, string? OutPath) DeviceAndOutput(CommandLine line)
    {
        var kind = line.Value("--device") is { } d ? DeviceCatalog.Parse(d, "--device") : (DeviceKind?)null;
        var outPath = line.Value("--out");
        if (outPath is not null && !outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--out must name a .json file, but was '{outPath}'", "--out");
        OutputProbe.CheckWritable(outPath, "--out");
        return (kind, outPath);
    }

    private static async Task WriteJsonAsync<TRow>(string? outPath, OdeDevice device, IReadOnlyList<TRow> rows, JsonSerializerOptions options, TextWriter output)
    {
        if (outPath is null)
            return;
        await AtomicFile.WriteAsync(outPath, stream => JsonSerializer.SerializeAsync(stream, new
        {
            device = device.Description,
            date = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            rows,
        }, options));
        output.WriteLine($"wrote {outPath}");
    }

    // min, 4 min, 16 min, ... below max, then max: BENCHMARKS.md's 8 * 4^k when min and max are such sizes.
    private static IEnumerable<int> Sizes(int min, int max)
    {
        for (long n = min; n < max; n *= 4)
            yield return (int)n;
        yield return max;
    }

    private static void Print(TextWriter output, IReadOnlyList<BenchRow> rows)
    {
        // Two spaces between columns, so that no header ("rel error", "of limit") runs into its neighbour.
        output.WriteLine($"{"workload",-8}  {"method",-7}  {"precision",-9}  {"N",9}  {"wall s",9}  {"kernel s",9}  {"traj-steps/s",13}  {"evaluations",12}  {"rel error",9}  {"of limit",8}  {"path",-14}  note");
        foreach (var r in rows)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Workload,-8}  {r.Method,-7}  {r.Precision,-9}  {r.N,9}  {r.Seconds,9:F4}  {r.KernelSeconds,9:F4}  {r.TrajectorySteps,13:E3}  {r.Evaluations,12}  {(r.Error is { } e ? e.ToString("E1", CultureInfo.InvariantCulture) : "-"),9}  {(r.LimitRatio is { } l ? l.ToString("P2", CultureInfo.InvariantCulture) : "-"),8}  {r.Path,-14}  {r.Note}"));
    }
}
