using System.Reflection;
using OdeGpu.Systems;
using OdeGpu.Tableaux;

namespace OdeGpu.Cli.Commands;

/// <summary>
/// <c>odegpu check</c>: compiles the kernels of systems for CUDA (PTX) and OpenCL C offline, on any machine, so that a
/// system that runs on the CPU but not on GPUs is found before it reaches one. Checks the systems of an assembly, or
/// the built-in ones.
/// </summary>
internal static class CheckCommand
{
    /// <summary>Prints one line per system and kernel failure; returns 0 when everything compiles, 1 when not.</summary>
    /// <exception cref="ArgumentException">A bad option, an assembly that cannot be loaded, or no systems in it.</exception>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var line = CommandLine.Parse(args, ["--assembly"], ["--method"], []);
        line.Positional.ForEach(p => throw new ArgumentException($"check takes no positional arguments, but got '{p}'", p));
        var methods = line.Values("--method").Select(m => Methods.Parse(m, "--method")).ToArray();
        var systems = line.Value("--assembly") is { } path ? SystemsIn(path) : SystemsIn(typeof(IOdeSystem<,>).Assembly);
        var failed = 0;
        foreach (var system in systems)
        {
            var results = GpuCompileCheck.Check(system, methods);
            var failures = results.Where(r => !r.Compiled).ToList();
            output.WriteLine(failures.Count == 0
                ? $"ok      {Name(system)}: {results.Count} kernels compile for PTX sm_90 and OpenCL C 2.0"
                : $"FAILED  {Name(system)}: {failures.Count} of {results.Count} kernels do not compile");
            failures.ForEach(f => output.WriteLine($"        {f}"));
            failed += failures.Count > 0 ? 1 : 0;
        }
        return failed == 0 ? 0 : 1;
    }

    private static IReadOnlyList<Type> SystemsIn(string path)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"--assembly: no such file '{path}'", "--assembly");
        Assembly assembly;
        try
        {
            var full = Path.GetFullPath(path);
            assembly = new SystemAssemblyContext(full).LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException e)
        {
            throw new ArgumentException($"--assembly: '{path}' is not a .NET assembly ({e.Message})", "--assembly");
        }
        var systems = SystemsIn(assembly);
        return systems.Count > 0
            ? systems
            : throw new ArgumentException($"--assembly: '{path}' has no public struct that implements IOdeSystem<T, TState>", "--assembly");
    }

    // Every public system struct; one generic over its arithmetic type alone is checked for float and for double.
    private static IReadOnlyList<Type> SystemsIn(Assembly assembly) => assembly.GetExportedTypes()
        .Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IOdeSystem<,>)))
        .SelectMany(t => !t.IsGenericTypeDefinition ? [t]
            : t.GetGenericArguments().Length == 1 ? [t.MakeGenericType(typeof(float)), t.MakeGenericType(typeof(double))]
            : Array.Empty<Type>())
        .ToList();

    private static string Name(Type system) => system.IsGenericType
        ? $"{system.Name.Split('`')[0]}<{string.Join(", ", system.GetGenericArguments().Select(Name))}>"
        : system.Name switch { "Single" => "float", "Double" => "double", var n => n };
}
