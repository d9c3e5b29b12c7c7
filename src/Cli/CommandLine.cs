using System.Globalization;

namespace OdeGpu.Cli;

/// <summary>
/// The options and positional arguments of one command. Every option must be known to the command; each option but
/// the repeatable ones may appear once. Errors are <see cref="ArgumentException"/>s that name the option.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = [];
    private readonly HashSet<string> _flags = [];

    private CommandLine(List<string> positional) => Positional = positional;

    /// <summary>Arguments that are not options, in order.</summary>
    public List<string> Positional { get; }

    /// <summary>Parses <paramref name="args"/> against the command's options.</summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="valued">Options that take a value.</param>
    /// <param name="repeatable">Valued options that may appear more than once.</param>
    /// <param name="flags">Options without a value.</param>
    /// <exception cref="ArgumentException">An unknown option, a missing value or a repeated option.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args, string[] valued, string[] repeatable, string[] flags)
    {
        var line = new CommandLine([]);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                line.Positional.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=');
            var (name, inline) = equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
            if (flags.Contains(name))
            {
                line._flags.Add(name);
                continue;
            }
            if (!valued.Contains(name) && !repeatable.Contains(name))
                throw new ArgumentException($"unknown option {name}; see --help", name);
            var value = inline ?? NextValue(args, ref i, name);
            if (!line._values.TryGetValue(name, out var list))
                line._values[name] = list = [];
            else if (!repeatable.Contains(name))
                throw new ArgumentException($"{name} was given twice ('{list[0]}' and '{value}'); give it once", name);
            list.Add(value);
        }
        return line;
    }

    // A value never starts with "--", so "--y0 --times 0,1" lacks the value of --y0; negative numbers have one dash.
    private static string NextValue(IReadOnlyList<string> args, ref int i, string name)
    {
        if (i + 1 >= args.Count)
            throw new ArgumentException($"{name} needs a value", name);
        if (args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"{name} needs a value, but is followed by {args[i + 1]}", name);
        return args[++i];
    }

    /// <summary>True when the flag was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>The value of an option, or null when absent.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var v) ? v[0] : null;

    /// <summary>Every value of a repeatable option.</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var v) ? v : [];

    /// <summary>A floating-point option, or null when absent.</summary>
    /// <exception cref="ArgumentException">The value is not a number.</exception>
    public double? Double(string name) => Value(name) is { } v ? ParseDouble(v, name) : null;

    /// <summary>An integer option, or null when absent.</summary>
    /// <exception cref="ArgumentException">The value is not an integer.</exception>
    public int? Int(string name) => Value(name) is { } v
        ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
            : throw new ArgumentException($"{name} must be an integer, but was '{v}'", name)
        : null;

    /// <summary>A comma-separated list of numbers, or null when absent.</summary>
    /// <exception cref="ArgumentException">An entry is not a number.</exception>
    public double[]? DoubleList(string name) =>
        Value(name) is { } v ? v.Split(',').Select(x => ParseDouble(x, name)).ToArray() : null;

    /// <summary>Parses a number in the invariant culture ("1e-6", "0.5", "nan" is a number too).</summary>
    /// <exception cref="ArgumentException">The text is not a number.</exception>
    public static double ParseDouble(string text, string name) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            ? x
            : throw new ArgumentException($"{name} must be a number, but was '{text}'", name);
}
