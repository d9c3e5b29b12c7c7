using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Ensemble;

/// <summary>The state vectors Vec5..Vec32 are what their generator writes: regenerating them changes nothing.</summary>
public sealed class StateVectorSourceTests
{
    public static TheoryData<int> Dimensions => new(Enumerable.Range(StateVectorSource.First, StateVectorSource.Last - StateVectorSource.First + 1));

    [Theory]
    [MemberData(nameof(Dimensions))]
    public void Each_committed_state_vector_is_what_the_generator_writes(int n)
    {
        var path = Path.Combine(Repository.Root, "src", "Kernels", "State", StateVectorSource.TypeName(n) + ".g.cs");
        var expected = StateVectorSource.Generate(n);

        if (Environment.GetEnvironmentVariable("ODEGPU_WRITE_STATES") == "1")
            File.WriteAllText(path, expected);

        Assert.True(File.Exists(path), $"{path} is missing: run the tests once with ODEGPU_WRITE_STATES=1");
        Assert.Equal(expected, File.ReadAllText(path));
    }
}
