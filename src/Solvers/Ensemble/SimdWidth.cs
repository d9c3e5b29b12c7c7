using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OdeGpu.Ensemble;

/// <summary>
/// The width of the ensemble mode's SIMD groups on the CPU, which is .NET's <see cref="Vector{T}"/>: 256 bits on AVX-512
/// CPUs unless DOTNET_MaxVectorTBitWidth is set when the runtime starts (a runtimeconfig property does not set it, and a
/// running process cannot change it), so 8 float or 4 double trajectories per group where the CPU could take 16 or 8.
/// <see cref="RestartWithWidestVectors"/> restarts a program with the variable set; odegpu's solve and bench commands
/// call it.
/// </summary>
public static class SimdWidth
{
    /// <summary>The runtime's setting for the width of <see cref="Vector{T}"/>, in bits.</summary>
    public const string Variable = "DOTNET_MaxVectorTBitWidth";

    /// <summary>
    /// Whether a restart would widen the groups: the CPU accelerates 512-bit vectors, <see cref="Vector{T}"/> is
    /// narrower, and no width was set for this process (a width the user chose is kept).
    /// </summary>
    public static bool CanWiden => Widens(Vector512.IsHardwareAccelerated, 8 * Vector<byte>.Count,
        Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable("COMPlus_MaxVectorTBitWidth") is not null);

    /// <summary>
    /// On Linux where <see cref="CanWiden"/>, replaces this process by the same command line (read from
    /// /proc/self/cmdline, host options included) with <see cref="Variable"/> = 512: the same process id, streams and
    /// signals. Call it first in Main, before anything is written or started: it returns only where it does not restart
    /// (another OS, nothing to widen, or a failed exec), and the program then goes on with the vectors it has.
    /// </summary>
    public static void RestartWithWidestVectors()
    {
        if (!OperatingSystem.IsLinux() || !CanWiden || Environment.ProcessPath is not { } program)
            return;
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
    }

    /// <summary>The decision of <see cref="CanWiden"/> from what it reads.</summary>
    internal static bool Widens(bool accelerated512, int vectorBits, bool widthSet) => accelerated512 && vectorBits < 512 && !widthSet;

    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int Execve(string path, string?[] argv, string?[] envp);
}
