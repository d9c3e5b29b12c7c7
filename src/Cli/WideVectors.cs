using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OdeGpu.Cli;

/// <summary>
/// Gives the fused ensemble kernel's SIMD groups the CPU's full width on AVX-512 (16 float or 8 double trajectories
/// instead of 8 or 4). .NET keeps <see cref="Vector{T}"/> at 256 bits there unless DOTNET_MaxVectorTBitWidth is set
/// when the runtime starts (a runtimeconfig property does not set it, and a running process cannot change it), so on
/// Linux the program replaces itself, before it does anything, by the same command line with that variable set: the
/// same process, streams and signals. A variable the user set, to any value, is left as it is.
/// </summary>
internal static class WideVectors
{
    /// <summary>The runtime's setting for the width of <see cref="Vector{T}"/>, in bits.</summary>
    public const string Variable = "DOTNET_MaxVectorTBitWidth";

    /// <summary>
    /// Whether <paramref name="args"/> should run again with 512-bit vectors: a command whose work is the ensemble
    /// kernel (solve, bench), on a CPU that accelerates 512-bit vectors, where <see cref="Vector{T}"/> is narrower
    /// and the user has not set its width.
    /// </summary>
    public static bool Worthwhile(string[] args, bool accelerated512, int vectorBits, bool widthSet) =>
        args is ["solve" or "bench", ..] && accelerated512 && vectorBits < 512 && !widthSet;

    /// <summary>Replaces this process by itself with 512-bit vectors where <see cref="Worthwhile"/>; returns where not, or where it cannot.</summary>
    public static void Widen(string[] args)
    {
        var widthSet = Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable("COMPlus_MaxVectorTBitWidth") is not null;
        if (!OperatingSystem.IsLinux() || Environment.ProcessPath is not { } program
            || !Worthwhile(args, Vector512.IsHardwareAccelerated, 8 * Vector<byte>.Count, widthSet))
            return;
        // The command line as the process was started, host options included (dotnet odegpu.dll ..., or the app host).
        string[] argv;
        try
        {
            argv = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}").Append($"{Variable}=512");
        Execve(program, [.. argv, null], [.. environment, null]);
        // Only a failed exec returns: go on with the vectors there are (the solve reports how wide they could be).
    }

    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int Execve(string path, string?[] argv, string?[] envp);
}
