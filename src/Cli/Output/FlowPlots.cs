using OdeGpu.Flows.Training;
using ScottPlot;

namespace OdeGpu.Cli.Output;

/// <summary>
/// A trained flow's pictures, as FFJORD's toy experiment draws them: data.png (samples of the toy density),
/// samples.png (samples of the flow), density.png (the learned density on a grid) and loss.png (the training and test
/// negative log-likelihood against the iteration). Each is written atomically.
/// </summary>
internal static class FlowPlots
{
    private const int Size = 600;

    /// <summary>Draws the four pictures into <paramref name="directory"/>.</summary>
    /// <param name="directory">Where they go.</param>
    /// <param name="data">Samples of the toy density, [n, 2].</param>
    /// <param name="samples">Samples of the flow, [n, 2].</param>
    /// <param name="density">p(x) on the grid over [-4, 4]^2, [row = y, column = x].</param>
    /// <param name="history">The training so far.</param>
    public static void Write(string directory, double[,] data, double[,] samples, double[,] density, IReadOnlyList<FlowHistoryRow> history)
    {
        PngFile.Save(Points(data, "data"), Path.Combine(directory, "data.png"), Size, Size);
        PngFile.Save(Points(samples, "samples of the flow"), Path.Combine(directory, "samples.png"), Size, Size);
        WriteDensity(Path.Combine(directory, "density.png"), density, -4, 4, "learned density");
        PngFile.Save(Loss(history), Path.Combine(directory, "loss.png"), 800, 500);
    }

    /// <summary>Draws p(x) on a grid of cell centres over [lo, hi]^2 as a heat map into <paramref name="path"/>.</summary>
    public static void WriteDensity(string path, double[,] density, double lo, double hi, string title)
    {
        var plot = new Plot();
        var rows = density.GetLength(0);
        var flipped = new double[rows, density.GetLength(1)];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < density.GetLength(1); j++)
                flipped[i, j] = density[rows - 1 - i, j];
        var heatmap = plot.Add.Heatmap(flipped);
        heatmap.Extent = new CoordinateRect(lo, hi, lo, hi);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Axes.SetLimits(lo, hi, lo, hi);
        plot.Title(title);
        PngFile.Save(plot, path, Size, Size);
    }

    private static Plot Points(double[,] points, string title)
    {
        var plot = new Plot();
        var scatter = plot.Add.ScatterPoints(Column(points, 0), Column(points, 1));
        scatter.MarkerSize = 2;
        plot.Axes.SetLimits(-4, 4, -4, 4);
        plot.Title(title);
        return plot;
    }

    private static Plot Loss(IReadOnlyList<FlowHistoryRow> history)
    {
        var plot = new Plot();
        plot.Add.ScatterLine(history.Select(h => (double)h.Iteration).ToArray(), history.Select(h => h.NegativeLogLikelihood).ToArray()).LegendText = "batch NLL";
        var tested = history.Where(h => h.TestNll is not null).ToList();
        if (tested.Count > 0)
            plot.Add.Scatter(tested.Select(h => (double)h.Iteration).ToArray(), tested.Select(h => h.TestNll!.Value).ToArray()).LegendText = "test NLL";
        plot.Title("Negative log-likelihood");
        plot.XLabel("iteration");
        plot.YLabel("nats");
        plot.ShowLegend();
        return plot;
    }

    private static double[] Column(double[,] values, int d) => [.. Enumerable.Range(0, values.GetLength(0)).Select(i => values[i, d])];
}
