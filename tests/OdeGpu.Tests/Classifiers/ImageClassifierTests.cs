using ILGPU.Runtime;
using OdeGpu.Neural.Classifiers;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Classifiers;

/// <summary>
/// The Table 1 models (<see cref="ImageClassifier{T, TP}"/>): torchdiffeq's parameter counts and state-dict names, and
/// each model's gradient (ResNet, ODE-Net by the continuous adjoint, RK-Net by the discrete one, MLP) against central
/// differences of its loss in float64 (the first and last element of every tensor), at width 4 on two random images.
/// </summary>
public sealed class ImageClassifierTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{

    [Theory]
    [InlineData(ClassifierKind.ResNet, 576_778)]
    [InlineData(ClassifierKind.OdeNet, 208_266)]
    [InlineData(ClassifierKind.RkNet, 208_266)]
    [InlineData(ClassifierKind.Mlp, 238_510)]
    public void At_width_64_the_models_have_torchdiffeqs_parameter_counts(ClassifierKind kind, int count)
    {
        var architecture = new ClassifierArchitecture(kind);

        Assert.Equal(count, architecture.ParameterCount);
        Assert.Equal(count, architecture.Tensors.Sum(t => t.Shape.Aggregate(1, (n, d) => n * d)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(12)]
    public void Each_residual_block_adds_two_bias_free_3x3_convolutions_and_two_group_norms(int blocks)
    {
        var resnet = new ClassifierArchitecture(ClassifierKind.ResNet, Blocks: blocks);

        Assert.Equal(576_778 + (blocks - 6) * (2 * 64 * 64 * 9 + 2 * 2 * 64), resnet.ParameterCount);
        Assert.Equal($"{7 + blocks + 4}.bias", resnet.Tensors[^1].Name);
        Assert.Equal(208_266, new ClassifierArchitecture(ClassifierKind.OdeNet, Blocks: blocks).ParameterCount);
    }

    [Fact]
    public void The_parameters_carry_odenet_mnists_state_dict_names_in_order()
    {
        var names = new ClassifierArchitecture(ClassifierKind.OdeNet).Tensors.Select(t => t.Name).ToArray();

        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias", "4.weight", "4.bias", "6.weight", "6.bias",
            "7.odefunc.norm1.weight", "7.odefunc.norm1.bias", "7.odefunc.conv1._layer.weight", "7.odefunc.conv1._layer.bias",
            "7.odefunc.norm2.weight", "7.odefunc.norm2.bias", "7.odefunc.conv2._layer.weight", "7.odefunc.conv2._layer.bias",
            "7.odefunc.norm3.weight", "7.odefunc.norm3.bias", "8.weight", "8.bias", "12.weight", "12.bias"], names);
        Assert.Contains(new ClassifierArchitecture(ClassifierKind.ResNet).Tensors, t => t.Name == "12.conv2.weight" && t.Shape.SequenceEqual([64, 64, 3, 3]));
        Assert.Equal("17.weight", new ClassifierArchitecture(ClassifierKind.ResNet).Tensors[^2].Name);
    }

    [Theory]
    // The steps: small enough that no ReLU of the network changes side between the differences' points, and for the ODE
    // block (solved at 1e-12) large enough that the adaptive solve's error at that tolerance stays out of the differences.
    [InlineData(ClassifierKind.ResNet, 1e-6, 1e-6)]
    [InlineData(ClassifierKind.OdeNet, 1e-5, 2e-4)]
    [InlineData(ClassifierKind.RkNet, 1e-5, 2e-4)]
    [InlineData(ClassifierKind.Mlp, 1e-6, 1e-6)]
    public void The_gradient_of_the_loss_matches_central_differences(ClassifierKind kind, double step, double tolerance)
    {
        var architecture = new ClassifierArchitecture(kind, Width: 4, Tolerance: 1e-12);
        var random = new Random(7);
        var parameters = architecture.InitialParameters(seed: 3).Select(p => (double)p).ToArray();
        for (var k = 0; k < parameters.Length; k++)
            parameters[k] += 0.1 * (2 * random.NextDouble() - 1);
        var images = Enumerable.Range(0, 2 * 784).Select(_ => random.NextDouble()).ToArray();
        int[] labels = [3, 8];
        using var model = new ImageClassifier<double, Float64>(cpu.Device, architecture, 2, parameters);
        model.Images.CopyFromCPU(images);
        model.Forward();
        model.Loss(labels);
        model.Backward();
        var gradient = cpu.Device.Download(model.Gradient);

        double Loss(double[] theta)
        {
            model.Parameters.CopyFromCPU(theta);
            model.Forward();
            return model.Loss(labels);
        }
        // With an ODE block (each difference four solves at 1e-12), the first element of the downsampling's last
        // convolution (reached through the adjoint's dL/dz(0)), of f's convolutions and last norm, and of the head: the
        // differences of earlier tensors would cross the downsampling's ReLUs at a step large enough for the solve.
        string[] odeTensors = ["6.weight", "7.odefunc.conv1._layer.weight", "7.odefunc.conv2._layer.bias", "7.odefunc.norm3.weight", "12.weight"];
        var tensors = architecture.HasOdeBlock ? architecture.Tensors.Where(t => odeTensors.Contains(t.Name)) : architecture.Tensors;
        foreach (var (_, offset, shape) in tensors)
            foreach (var k in architecture.HasOdeBlock ? [offset] : new[] { offset, offset + shape.Aggregate(1, (n, d) => n * d) - 1 })
                AssertClose(CentralDifference.Of(h => Loss(CentralDifference.Shifted(parameters, k, h)), 0, step), gradient[k], tolerance);
    }

    private static void AssertClose(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(0.5, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
