using System.Reflection;
using System.Runtime.Loader;

namespace OdeGpu.Cli.Commands;

/// <summary>
/// Loads a user's assembly with its own dependencies (read from its .deps.json and folder), while OdeGpu and ILGPU
/// come from this program, so that the user's systems implement this program's IOdeSystem.
/// </summary>
/// <param name="path">The assembly's full path.</param>
internal sealed class SystemAssemblyContext(string path) : AssemblyLoadContext(nameof(SystemAssemblyContext))
{
    private readonly AssemblyDependencyResolver _resolver = new(path);

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is { } n && (n.StartsWith("OdeGpu", StringComparison.Ordinal) || n.StartsWith("ILGPU", StringComparison.Ordinal)))
            return null;
        return _resolver.ResolveAssemblyToPath(name) is { } resolved ? LoadFromAssemblyPath(resolved) : null;
    }
}
