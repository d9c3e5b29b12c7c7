using System.Diagnostics;

namespace OdeGpu.Tests.Support;

/// <summary>A program built beside the tests (odegpu, or the test program itself), started through the same host that runs them.</summary>
internal static class SiblingProgram
{
    /// <summary>
    /// How to start <paramref name="name"/> with <paramref name="args"/>: through dotnet when the tests run under
    /// dotnet, else through the program's app host; output and errors redirected.
    /// </summary>
    public static ProcessStartInfo StartInfo(string name, params IEnumerable<string> args)
    {
        var directory = AppContext.BaseDirectory;
        var viaDotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet";
        var start = new ProcessStartInfo(viaDotnet ? Environment.ProcessPath! : Path.Combine(directory, name))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (viaDotnet)
            start.ArgumentList.Add(Path.Combine(directory, name + ".dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return start;
    }
}
