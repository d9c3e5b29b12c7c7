using OdeGpu.Cli;

namespace OdeGpu.Tests.Cli;

/// <summary><c>odegpu check</c>: a user's systems compiled for PTX and OpenCL C on a machine without a GPU.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task An_assembly_with_a_system_the_gpus_refuse_fails_with_the_compilers_reason()
    {
        var output = new StringWriter();
        var assembly = typeof(CheckCommandTests).Assembly.Location; // holds ConvertsInKernel and systems that compile

        var code = await OdeGpuProgram.RunAsync(["check", "--assembly", assembly, "--method", "rk4"], output, new StringWriter(), interactive: false);

        var text = output.ToString();
        Assert.Equal(1, code);
        Assert.Contains("FAILED  ConvertsInKernel<float>: 6 of 6 kernels do not compile", text);
        Assert.Contains("SystemKernels.Evaluate [PTX sm_90]: Class type 'System.Type' is not supported", text);
        Assert.Contains("ok      ConstantDecay<double>: 6 kernels compile for PTX sm_90 and OpenCL C 2.0", text);
    }

    [Fact]
    public async Task The_built_in_systems_compile_everywhere()
    {
        var output = new StringWriter();

        var code = await OdeGpuProgram.RunAsync(["check", "--method", "rk4"], output, new StringWriter(), interactive: false);

        Assert.Equal(0, code);
        Assert.Contains("ok      Lorenz<float>", output.ToString());
        Assert.DoesNotContain("FAILED", output.ToString());
    }

    [Fact]
    public async Task A_file_that_is_not_an_assembly_is_refused_naming_the_option()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = new StringWriter();

            var code = await OdeGpuProgram.RunAsync(["check", "--assembly", file], new StringWriter(), error, interactive: false);

            Assert.Equal(2, code);
            Assert.Contains("--assembly: ", error.ToString());
            Assert.Contains("is not a .NET assembly", error.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
