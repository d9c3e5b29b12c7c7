namespace OdeGpu.Neural.Checkpoints;

/// <summary>A file written through a temporary file beside it and a rename, so readers never see half of it.</summary>
public static class AtomicWrite
{
    /// <summary>Creates <paramref name="path"/> with what <paramref name="write"/> puts into the stream; on failure leaves neither.</summary>
    public static void To(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        try
        {
            using (var stream = File.Create(temporary))
                write(stream);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}
