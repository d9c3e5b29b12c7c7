namespace OdeGpu.Neural.Classifiers;

/// <summary>
/// An image classifier of the paper's Table 1 in torchdiffeq's layout: the layers, their parameters' names in PyTorch's
/// state dict of nn.Sequential(*downsampling, *features, *head), and their count (576,778 for the ResNet and 208,266 for
/// the ODE-Net at width 64).
/// </summary>
/// <param name="Kind">The model.</param>
/// <param name="Width">Channels of the feature maps (64 in the paper).</param>
/// <param name="Tolerance">The ODE block's rtol and atol, forward and backward.</param>
/// <param name="Blocks">Residual blocks of the ResNet (6 in the paper); other models ignore it.</param>
public sealed record ClassifierArchitecture(ClassifierKind Kind, int Width = 64, double Tolerance = 1e-3, int Blocks = ClassifierArchitecture.PaperBlocks)
{
    /// <summary>Residual blocks of the paper's ResNet.</summary>
    public const int PaperBlocks = 6;

    /// <summary>Residual blocks of this ResNet: <see cref="Blocks"/>, or none for the other models.</summary>
    public int ResidualBlocks => Kind == ClassifierKind.ResNet ? Blocks : 0;

    /// <summary>Classes.</summary>
    public const int Classes = 10;

    /// <summary>Hidden units of the MLP.</summary>
    public const int MlpHidden = 300;

    /// <summary>One image: 1 x 28 x 28.</summary>
    public static ImageShape Image { get; } = new(1, 28, 28);

    /// <summary>Whether the features are an ODE block.</summary>
    public bool HasOdeBlock => Kind is ClassifierKind.OdeNet or ClassifierKind.RkNet;

    /// <summary>Conv(1, W, 3), GN, ReLU, Conv(W, W, 4, 2, 1), GN, ReLU, Conv(W, W, 4, 2, 1): 28 x 28 to 6 x 6.</summary>
    public IReadOnlyList<ImageLayer> Downsampling =>
    [
        new Convolution("0", Width, 3), new GroupNorm("1"), new ReluLayer(), new Convolution("3", Width, 4, 2, 1), new GroupNorm("4"), new ReluLayer(),
        new Convolution("6", Width, 4, 2, 1),
    ];

    /// <summary>The feature maps between the downsampling and the head.</summary>
    public ImageShape Features => ImageLayers.OutputOf(Image, Downsampling);

    /// <summary>Residual block <paramref name="block"/>'s branch: GN, ReLU, Conv 3x3, GN, ReLU, Conv 3x3 (no biases); the block adds its input.</summary>
    public IReadOnlyList<ImageLayer> ResidualBranch(int block)
    {
        var name = (7 + block).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            new GroupNorm($"{name}.norm1"), new ReluLayer(), new Convolution($"{name}.conv1", Width, 3, 1, 1, Bias: false), new GroupNorm($"{name}.norm2"),
            new ReluLayer(), new Convolution($"{name}.conv2", Width, 3, 1, 1, Bias: false),
        ];
    }

    /// <summary>The ODE block's f(t, h): GN, ReLU, ConcatConv 3x3, GN, ReLU, ConcatConv 3x3, GN.</summary>
    public IReadOnlyList<ImageLayer> OdeFunction =>
    [
        new GroupNorm("7.odefunc.norm1"), new ReluLayer(), new Convolution("7.odefunc.conv1._layer", Width, 3, 1, 1, TimeChannel: true),
        new GroupNorm("7.odefunc.norm2"), new ReluLayer(), new Convolution("7.odefunc.conv2._layer", Width, 3, 1, 1, TimeChannel: true),
        new GroupNorm("7.odefunc.norm3"),
    ];

    /// <summary>The head's normalization before the pooling: GN, ReLU.</summary>
    public IReadOnlyList<ImageLayer> HeadNorm => [new GroupNorm(HeadIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)), new ReluLayer()];

    /// <summary>The dense layers' widths: [W, 10] after the pooling, or the MLP's [784, 300, 10].</summary>
    public int[] DenseWidths => Kind == ClassifierKind.Mlp ? [Image.Size, MlpHidden, Classes] : [Width, Classes];

    /// <summary>Every parameter tensor in state-dict order: (name, offset in the flat parameters, shape).</summary>
    public IReadOnlyList<(string Name, int Offset, int[] Shape)> Tensors
    {
        get
        {
            var tensors = new List<(string Name, int Offset, int[] Shape)>();
            var offset = 0;
            void Add(ImageShape input, IReadOnlyList<ImageLayer> layers)
            {
                foreach (var (name, at, shape) in ImageLayers.Tensors(input, layers))
                    tensors.Add((name, offset + at, shape));
                offset += ImageLayers.ParameterCount(input, layers);
            }
            if (Kind != ClassifierKind.Mlp)
            {
                Add(Image, Downsampling);
                if (HasOdeBlock)
                    Add(Features, OdeFunction);
                else
                    for (var b = 0; b < ResidualBlocks; b++)
                        Add(Features, ResidualBranch(b));
                Add(Features, HeadNorm);
            }
            var widths = DenseWidths;
            for (var l = 0; l + 1 < widths.Length; l++)
            {
                var name = (Kind == ClassifierKind.Mlp ? 1 + 2 * l : HeadIndex + 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
                tensors.Add(($"{name}.weight", offset, [widths[l + 1], widths[l]]));
                tensors.Add(($"{name}.bias", offset + widths[l + 1] * widths[l], [widths[l + 1]]));
                offset += widths[l + 1] * (widths[l] + 1);
            }
            return tensors;
        }
    }

    /// <summary>Parameters in all.</summary>
    public int ParameterCount => Tensors.Sum(t => t.Shape.Aggregate(1, (n, d) => n * d));

    /// <summary>
    /// PyTorch's default initialization, seeded: weights and biases of convolutions and linear layers uniform in
    /// +-1 / sqrt(fan in) (kaiming_uniform with a = sqrt(5)), GroupNorm's gamma 1 and beta 0.
    /// </summary>
    public float[] InitialParameters(int seed)
    {
        var random = new Random(seed);
        var parameters = new float[ParameterCount];
        var tensors = Tensors;
        foreach (var (name, offset, shape) in tensors)
        {
            var length = shape.Aggregate(1, (n, d) => n * d);
            if (shape.Length == 1 && IsNorm(name))
            {
                Array.Fill(parameters, name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f, offset, length);
                continue;
            }
            var weight = name.EndsWith(".weight", StringComparison.Ordinal) ? shape : tensors.First(t => t.Name == name[..^".bias".Length] + ".weight").Shape;
            var bound = 1 / Math.Sqrt(weight.Skip(1).Aggregate(1, (n, d) => n * d));
            for (var k = 0; k < length; k++)
                parameters[offset + k] = (float)((2 * random.NextDouble() - 1) * bound);
        }
        return parameters;
    }

    // The head's GroupNorm follows the downsampling's 7 layers and the features (the residual blocks, or one ODE block).
    private int HeadIndex => 7 + (HasOdeBlock ? 1 : ResidualBlocks);

    private bool IsNorm(string name)
    {
        var prefix = name[..name.LastIndexOf('.')];
        return Kind != ClassifierKind.Mlp && (prefix.Contains("norm", StringComparison.Ordinal) || prefix is "1" or "4" || prefix == HeadIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
