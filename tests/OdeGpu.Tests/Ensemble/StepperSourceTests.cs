using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>The fused kernel's steppers are the tableaux, written out: regenerating them changes nothing.</summary>
public sealed class StepperSourceTests
{
    public static TheoryData<string> MethodNames => new(Methods.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Each_committed_stepper_is_what_its_tableau_generates(string name)
    {
        var method = Methods.Parse(name);
        var path = Path.Combine(Repository.Root, "src", "Kernels", "Ensemble", "Steppers", StepperSource.TypeName(method) + ".g.cs");
        var expected = StepperSource.Generate(method);

        if (Environment.GetEnvironmentVariable("ODEGPU_WRITE_STEPPERS") == "1")
            File.WriteAllText(path, expected);

        Assert.True(File.Exists(path), $"{path} is missing: run the tests once with ODEGPU_WRITE_STEPPERS=1");
        Assert.Equal(expected, File.ReadAllText(path));
    }
}
