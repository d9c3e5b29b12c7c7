using OdeGpu.Cli;
using OdeGpu.Cli.Commands;
using OdeGpu.Ensemble;

// The ensemble commands' SIMD groups as wide as the CPU's vectors (16 floats on AVX-512): see SimdWidth.
if (args is ["solve" or "bench", ..])
    SimdWidth.RestartWithWidestVectors();

// A solve stops cleanly on a signal (removing its unfinished output), training saves a checkpoint; the other commands
// keep the default, where a signal ends them at once.
using var interruption = args is ["solve" or "gradient" or "fit" or "flow", ..] ? Interruption.OnSignals() : null;
return await OdeGpuProgram.RunAsync(args, Console.Out, Console.Error, !Console.IsErrorRedirected, interruption);

namespace OdeGpu.Cli
{
    /// <summary>The odegpu command: dispatches to a command and turns bad input into a clear message and exit code 2.</summary>
    internal static class OdeGpuProgram
    {
        /// <summary>Runs one command line; a signal that <paramref name="interruption"/> receives stops a solve with exit code 130 or 143.</summary>
        public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive, Interruption? interruption = null)
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                output.WriteLine(HelpText.Text);
                return args.Length == 0 ? 2 : 0;
            }
            try
            {
                return args[0] switch
                {
                    "devices" => DevicesCommand.Run(args[1..], output),
                    "solve" when args.Skip(1).Any(a => a is "-h" or "--help") => Help(output),
                    "solve" => await SolveCommand.RunAsync(args[1..], output, error, interactive, interruption?.Token ?? default),
                    "gradient" when args.Skip(1).Any(a => a is "-h" or "--help") => Help(output),
                    "gradient" => await GradientCommand.RunAsync(args[1..], output, error, interactive, interruption?.Token ?? default),
                    "bench" => await BenchCommand.RunAsync(args[1..], output, error),
                    "fit" => await FitCommand.RunAsync(args[1..], output, error, interactive, interruption?.Token ?? default),
                    "flow" => await FlowCommand.RunAsync(args[1..], output, error, interactive, interruption?.Token ?? default),
                    "classify" => ClassifyCommand.Run(args[1..], output, error, interactive, interruption?.Token ?? default),
                    "check" => CheckCommand.Run(args[1..], output),
                    _ => throw new ArgumentException($"unknown command '{args[0]}': use devices, solve, gradient, fit, flow, classify, bench or check (see --help)", "command"),
                };
            }
            catch (OperationCanceledException) when (interruption?.Signal is { } signal)
            {
                error.WriteLine(args[0] is "fit" or "flow" or "classify"
                    ? $"odegpu: interrupted by {signal}; stopped training and saved a checkpoint that --resume continues"
                    : $"odegpu: interrupted by {signal}; stopped the solve and removed the unfinished output");
                return interruption.ExitCode;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                error.WriteLine($"odegpu: error: {Describe(e)}");
                return 2;
            }
        }

        // The library names its arguments as C# does; say which command-line option they came from.
        private static readonly Dictionary<string, string> Options = new()
        {
            ["dt"] = "--dt", ["rtol"] = "--rtol", ["atol"] = "--atol", ["method"] = "--method", ["maxSteps"] = "--max-steps",
            ["minStep"] = "--min-step", ["maxStep"] = "--max-step", ["initialStep"] = "--first-step", ["controller"] = "--controller", ["y0"] = "--y0",
        };

        private static string Describe(Exception e)
        {
            var message = e.Message.Split(" (Parameter")[0];
            return e is ArgumentException { ParamName: { } name } && Options.TryGetValue(name, out var option) ? $"{option}: {message}" : message;
        }

        private static int Help(TextWriter output)
        {
            output.WriteLine(HelpText.Text);
            return 0;
        }
    }
}
