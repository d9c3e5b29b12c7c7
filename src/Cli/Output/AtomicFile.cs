namespace OdeGpu.Cli.Output;

/// <summary>Writes a file through a temporary file in the same directory and a rename, so readers never see half of it.</summary>
internal static class AtomicFile
{
    /// <summary>Creates <paramref name="path"/> with what <paramref name="write"/> puts into the stream.</summary>
    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                await write(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
