namespace OdeGpu.Cli.Output;

/// <summary>Checks before a solve that an output file can be written, so that a long solve never ends in an unwritable path.</summary>
internal static class OutputProbe
{
    /// <summary>Creates and deletes a probe file beside <paramref name="path"/>.</summary>
    /// <param name="path">The output file, or null for none.</param>
    /// <param name="option">The option that named it, for the message.</param>
    /// <exception cref="ArgumentException">The path is a directory, its directory does not exist, or no file can be created there.</exception>
    public static void CheckWritable(string? path, string option)
    {
        if (path is null)
            return;
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new ArgumentException($"{option}: '{full}' is a directory; name a file in it", option);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
            throw new ArgumentException($"{option}: the directory '{directory}' does not exist", option);
        var probe = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.probe");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option}: cannot write in '{directory}': {e.Message}", option);
        }
    }
}
