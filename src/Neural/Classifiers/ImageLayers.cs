namespace OdeGpu.Neural.Classifiers;

/// <summary>What a sequence of <see cref="ImageLayer"/>s makes of an input shape: its parameter tensors and output shape.</summary>
public static class ImageLayers
{
    /// <summary>The layers' parameter tensors in order: (name, offset in the flat parameters, shape).</summary>
    public static IReadOnlyList<(string Name, int Offset, int[] Shape)> Tensors(ImageShape input, IReadOnlyList<ImageLayer> layers)
    {
        var tensors = new List<(string, int, int[])>();
        var (shape, offset) = (input, 0);
        foreach (var layer in layers)
        {
            foreach (var (name, dims) in layer.Tensors(shape))
            {
                tensors.Add((name, offset, dims));
                offset += dims.Aggregate(1, (n, d) => n * d);
            }
            shape = layer.OutputOf(shape);
        }
        return tensors;
    }

    /// <summary>The layers' parameters in all.</summary>
    public static int ParameterCount(ImageShape input, IReadOnlyList<ImageLayer> layers) =>
        Tensors(input, layers).Sum(t => t.Shape.Aggregate(1, (n, d) => n * d));

    /// <summary>The shape the layers make of <paramref name="input"/>.</summary>
    public static ImageShape OutputOf(ImageShape input, IReadOnlyList<ImageLayer> layers) => layers.Aggregate(input, (shape, layer) => layer.OutputOf(shape));
}
