using System.Globalization;
using System.Text.Json;
using OdeGpu.Cli.Bench;
using OdeGpu.Cli.Output;
using OdeGpu.Device;

namespace OdeGpu.Cli.Commands;

/// <summary><c>odegpu bench ensemble</c>: the L1 and V1 workloads of BENCHMARKS.md on one device, as a table and JSON.</summary>
internal static class BenchCommand
{
    private static readonly string[] Workloads = ["l1a", "l1b", "l1c", "l1d", "v1"];

    /// <summary>Runs the chosen workloads; returns 0.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var line = CommandLine.Parse(args, ["--device", "--max-n", "--min-n", "--workloads", "--out"], [], []);
        if (line.Positional is not ["ensemble"])
            throw new ArgumentException("usage: odegpu bench ensemble [--device cpu|cuda|opencl] [--min-n N] [--max-n N] [--workloads l1a,l1b,l1c,l1d,v1] [--out FILE.json]", "bench");
        var kind = line.Value("--device") is { } d ? DeviceCatalog.Parse(d, "--device") : (DeviceKind?)null;
        var workloads = (line.Value("--workloads") ?? string.Join(',', Workloads)).Split(',');
        foreach (var w in workloads.Where(w => !Workloads.Contains(w)))
            throw new ArgumentException($"--workloads must list some of {string.Join(", ", Workloads)}, but has '{w}'", "--workloads");
        var outPath = line.Value("--out");
        if (outPath is not null && !outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--out must name a .json file, but was '{outPath}'", "--out");
        OutputProbe.CheckWritable(outPath, "--out");

        using var device = OdeDevice.Open(kind);
        var maxN = line.Int("--max-n") ?? (device.Kind == DeviceKind.Cpu ? 8192 : 1 << 23);
        var minN = line.Int("--min-n") ?? 512;
        if (minN < 8 || maxN < minN)
            throw new ArgumentException($"--min-n must be at least 8 and at most --max-n, but they are {minN} and {maxN}", "--min-n");
        var sizes = Sizes(minN, maxN).ToArray();
        // V1 is defined on 256 oscillators; the size flags, when given, apply to it too.
        int[] v1Sizes = line.Value("--min-n") is null && line.Value("--max-n") is null ? [256] : sizes;
        output.WriteLine($"odegpu bench ensemble on {device.Description}; N = {string.Join(", ", sizes)}");

        var bench = new EnsembleBenchmark(device, error);
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
        if (outPath is not null)
        {
            await AtomicFile.WriteAsync(outPath, stream => JsonSerializer.SerializeAsync(stream, new
            {
                device = device.Description,
                date = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
                rows,
            }, new JsonSerializerOptions { WriteIndented = true }));
            output.WriteLine($"wrote {outPath}");
        }
        return 0;
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
        output.WriteLine($"{"workload",-8}  {"method",-7}  {"precision",-9}  {"N",9}  {"wall s",9}  {"kernel s",9}  {"traj-steps/s",13}  {"evaluations",12}  {"rel error",9}  {"of limit",8}  note");
        foreach (var r in rows)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Workload,-8}  {r.Method,-7}  {r.Precision,-9}  {r.N,9}  {r.Seconds,9:F4}  {r.KernelSeconds,9:F4}  {r.TrajectorySteps,13:E3}  {r.Evaluations,12}  {(r.Error is { } e ? e.ToString("E1", CultureInfo.InvariantCulture) : "-"),9}  {(r.LimitRatio is { } l ? l.ToString("P2", CultureInfo.InvariantCulture) : "-"),8}  {r.Note}"));
    }
}
