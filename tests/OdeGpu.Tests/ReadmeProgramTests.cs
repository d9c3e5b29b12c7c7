using System.Diagnostics;
using System.Text.RegularExpressions;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests;

/// <summary>The README's library section, pasted into one Program.cs as it says, builds and runs.</summary>
public sealed partial class ReadmeProgramTests
{
    [Fact]
    public void The_library_sections_code_blocks_paste_into_one_program_that_runs()
    {
        if (!SdkAvailable())
            Assert.Skip("no .NET SDK here (a GPU machine runs the tests without one)");
        var root = Repository.Root;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var section = readme[readme.IndexOf("## The library", StringComparison.Ordinal)..readme.IndexOf("## The command line", StringComparison.Ordinal)];
        var program = string.Join("\n", CodeBlock().Matches(section).Select(m => m.Groups[1].Value));
        var directory = Directory.CreateTempSubdirectory("odegpu-readme-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
            File.WriteAllText(Path.Combine(directory, "ReadmeProgram.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{Path.Combine(root, "src", "Adjoint", "OdeGpu.Adjoint.csproj")}" />
                  </ItemGroup>
                </Project>
                """);
            var (code, output) = Run(directory, "run", "-c", "Release");

            Assert.True(code == 0, output);
            Assert.Contains("Success: x(1) = ", output);
            Assert.Contains("Pendulum compiles for PTX and OpenCL", output);
            Assert.Matches(@"theta\(2\) = -?\d\.\d{6}, theta\(3\) = -?\d\.\d{6}", output);
            Assert.Matches(@"L = \d\.\d{6}, dL/d\(g/l\) = -?\d+\.\d{6}, dL/dtheta0 = -?\d+\.\d{6}", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    private static bool SdkAvailable()
    {
        try
        {
            return Run(Path.GetTempPath(), "--list-sdks").Output.Contains("10.", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static (int Code, string Output) Run(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ODEGPU_DEVICE"] = "cpu";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
