using OdeGpu.Neural.Training;
using ScottPlot;

namespace OdeGpu.Cli.Output;

/// <summary>
/// The spiral demo's pictures, as the demo draws them: trajectories.png (the true and learned x and y against t),
/// phase.png (both in the phase plane over the learned vector field) and loss.png (the batch loss and the total loss
/// against the iteration). Each is written atomically.
/// </summary>
internal static class SpiralPlots
{
    private const int Width = 800, Height = 500;

    /// <summary>Draws the three pictures into <paramref name="directory"/>.</summary>
    /// <param name="directory">Where they go.</param>
    /// <param name="data">The true spiral.</param>
    /// <param name="learned">The learned trajectory at the data's times, [1000, 2].</param>
    /// <param name="field">The learned vector field at points of a grid.</param>
    /// <param name="history">The training so far.</param>
    public static void Write(string directory, SpiralData data, double[,] learned, Func<double[,], double[,]> field, IReadOnlyList<HistoryRow> history)
    {
        PngFile.Save(Trajectories(data, learned), Path.Combine(directory, "trajectories.png"), Width, Height);
        PngFile.Save(Phase(data, learned, field), Path.Combine(directory, "phase.png"), Width, Height);
        PngFile.Save(Loss(history), Path.Combine(directory, "loss.png"), Width, Height);
    }

    private static Plot Trajectories(SpiralData data, double[,] learned)
    {
        var plot = new Plot();
        foreach (var (d, name) in new[] { (0, "x"), (1, "y") })
        {
            plot.Add.ScatterLine(data.Times, Column(data.States, d)).LegendText = $"true {name}";
            var line = plot.Add.ScatterLine(data.Times, Column(learned, d));
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = $"learned {name}";
        }
        plot.Title("Trajectories");
        plot.XLabel("t");
        plot.ShowLegend();
        return plot;
    }

    private static Plot Phase(SpiralData data, double[,] learned, Func<double[,], double[,]> field)
    {
        var plot = new Plot();
        const int n = 21;
        var points = new double[n * n, 2];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                (points[i * n + j, 0], points[i * n + j, 1]) = (-2 + 4.0 * i / (n - 1), -2 + 4.0 * j / (n - 1));
        var values = field(points);
        var vectors = Enumerable.Range(0, n * n).Select(k =>
        {
            var (u, v) = (values[k, 0], values[k, 1]);
            var length = Math.Max(Math.Sqrt(u * u + v * v), 1e-12);
            // unit arrows: the field's direction, as the demo draws it
            return new RootedCoordinateVector(new Coordinates(points[k, 0], points[k, 1]), new System.Numerics.Vector2((float)(0.15 * u / length), (float)(0.15 * v / length)));
        }).ToList();
        plot.Add.VectorField(vectors);
        plot.Add.ScatterLine(Column(data.States, 0), Column(data.States, 1)).LegendText = "true";
        var line = plot.Add.ScatterLine(Column(learned, 0), Column(learned, 1));
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = "learned";
        plot.Title("Phase portrait and learned vector field");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend();
        return plot;
    }

    private static Plot Loss(IReadOnlyList<HistoryRow> history)
    {
        var plot = new Plot();
        plot.Add.ScatterLine(history.Select(h => (double)h.Iteration).ToArray(), history.Select(h => h.Loss).ToArray()).LegendText = "batch loss";
        var evaluated = history.Where(h => h.EvalLoss is not null).ToList();
        if (evaluated.Count > 0)
            plot.Add.Scatter(evaluated.Select(h => (double)h.Iteration).ToArray(), evaluated.Select(h => h.EvalLoss!.Value).ToArray()).LegendText = "total loss";
        plot.Title("Loss");
        plot.XLabel("iteration");
        plot.YLabel("mean absolute error");
        plot.ShowLegend();
        return plot;
    }

    private static double[] Column(double[,] values, int d) => [.. Enumerable.Range(0, values.GetLength(0)).Select(i => values[i, d])];
}
