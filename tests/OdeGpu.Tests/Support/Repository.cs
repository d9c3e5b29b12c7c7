namespace OdeGpu.Tests.Support;

/// <summary>The checkout the tests were built from, for tests that compare committed files with what a generator writes.</summary>
public static class Repository
{
    /// <summary>The directory that holds OdeGpu.sln, found above the test binaries.</summary>
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OdeGpu.sln")))
                directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("OdeGpu.sln not found above the test binaries");
        }
    }
}
