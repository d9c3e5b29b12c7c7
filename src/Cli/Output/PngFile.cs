using ScottPlot;

namespace OdeGpu.Cli.Output;

/// <summary>A plot saved as PNG through a temporary file beside it and a rename, so readers never see half of it.</summary>
internal static class PngFile
{
    /// <summary>Renders <paramref name="plot"/> at <paramref name="width"/> x <paramref name="height"/> pixels into <paramref name="path"/>.</summary>
    public static void Save(Plot plot, string path, int width, int height)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp.png");
        plot.SavePng(temporary, width, height);
        File.Move(temporary, path, overwrite: true);
    }
}
