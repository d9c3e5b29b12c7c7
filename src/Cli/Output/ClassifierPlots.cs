using ScottPlot;
using OdeGpu.Neural.Classifiers;

namespace OdeGpu.Cli.Output;

/// <summary>
/// The pictures of <c>odegpu classify train</c>: loss.png (the mean cross-entropy per epoch), error.png (train and test
/// error per epoch) and, with an ODE block, nfe.png (its forward and backward evaluations per epoch, the paper's
/// Figure 3).
/// </summary>
internal static class ClassifierPlots
{
    /// <summary>Writes the pictures of <paramref name="history"/> into <paramref name="directory"/>.</summary>
    public static void Write(string directory, IReadOnlyList<ClassifierEpoch> history, bool odeBlock)
    {
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        PngFile.Save(Curves("Training loss", "cross-entropy", epochs, ("loss", history.Select(h => h.Loss))), Path.Combine(directory, "loss.png"), 800, 500);
        PngFile.Save(Curves("Error", "share misclassified", epochs, ("train", history.Select(h => h.TrainError)), ("test", history.Select(h => h.TestError))),
            Path.Combine(directory, "error.png"), 800, 500);
        if (odeBlock)
            PngFile.Save(Curves("ODE block evaluations per batch", "evaluations", epochs, ("forward", history.Select(h => h.ForwardEvaluations)),
                ("backward", history.Select(h => h.BackwardEvaluations))), Path.Combine(directory, "nfe.png"), 800, 500);
    }

    private static Plot Curves(string title, string label, double[] epochs, params (string Name, IEnumerable<double> Values)[] curves)
    {
        var plot = new Plot();
        foreach (var (name, values) in curves)
            plot.Add.ScatterLine(epochs, values.ToArray()).LegendText = name;
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(label);
        plot.ShowLegend();
        return plot;
    }
}
