namespace OdeGpu.Neural.Classifiers;

/// <summary>One layer of a convolutional stack (<see cref="ConvStack{T, TP}"/>), named as in PyTorch's state dict.</summary>
/// <param name="Name">The prefix of its parameters' names ("0", "norm1", "conv1._layer"); layers without parameters need none.</param>
public abstract record ImageLayer(string Name)
{
    /// <summary>The shape this layer makes of <paramref name="input"/>.</summary>
    public abstract ImageShape OutputOf(ImageShape input);

    /// <summary>Its parameters' tensors, in PyTorch's order: (name, shape).</summary>
    public abstract IReadOnlyList<(string Name, int[] Shape)> Tensors(ImageShape input);
}

/// <summary>nn.Conv2d (and torchdiffeq's ConcatConv2d with <paramref name="TimeChannel"/>): weight [Out, In (+1), K, K], then bias [Out].</summary>
/// <param name="Name">The parameters' prefix.</param>
/// <param name="Out">Output channels.</param>
/// <param name="Kernel">The kernel's side.</param>
/// <param name="Stride">The step between outputs.</param>
/// <param name="Padding">Zeros added on every side.</param>
/// <param name="Bias">Whether it has a bias.</param>
/// <param name="TimeChannel">Whether the row's time is a first input channel (ConcatConv2d).</param>
public sealed record Convolution(string Name, int Out, int Kernel, int Stride = 1, int Padding = 0, bool Bias = true, bool TimeChannel = false) : ImageLayer(Name)
{
    /// <inheritdoc />
    public override ImageShape OutputOf(ImageShape input) =>
        new(Out, (input.Height + 2 * Padding - Kernel) / Stride + 1, (input.Width + 2 * Padding - Kernel) / Stride + 1);

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, int[] Shape)> Tensors(ImageShape input)
    {
        (string, int[]) weight = ($"{Name}.weight", [Out, (TimeChannel ? 1 : 0) + input.Channels, Kernel, Kernel]);
        return Bias ? [weight, ($"{Name}.bias", [Out])] : [weight];
    }
}

/// <summary>torchdiffeq's norm(dim): nn.GroupNorm(min(32, dim), dim), weight then bias, each [channels].</summary>
/// <param name="Name">The parameters' prefix.</param>
public sealed record GroupNorm(string Name) : ImageLayer(Name)
{
    /// <summary>Groups for <paramref name="channels"/> channels.</summary>
    public static int GroupsOf(int channels) => Math.Min(32, channels);

    /// <inheritdoc />
    public override ImageShape OutputOf(ImageShape input) => input;

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, int[] Shape)> Tensors(ImageShape input) => [($"{Name}.weight", [input.Channels]), ($"{Name}.bias", [input.Channels])];
}

/// <summary>ReLU, elementwise; no parameters.</summary>
public sealed record ReluLayer() : ImageLayer("")
{
    /// <inheritdoc />
    public override ImageShape OutputOf(ImageShape input) => input;

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, int[] Shape)> Tensors(ImageShape input) => [];
}
