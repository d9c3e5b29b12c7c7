using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Neural.Optimizers;
using OdeGpu.Optimization;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Training;

/// <summary>
/// The optimizers against PyTorch 1.13 itself: six steps of float64 parameters [0.5, -1.5, 2.0] under a gradient that
/// depends on them, g_t = [sin(t + p0), cos(2t) + p1, 0.1 t - 0.3 p2], land where torch.optim's do (the expected values
/// are printed by bench/peers/torch_optimizers.py), for every optimizer and option, with a step and a cosine schedule
/// and with the gradient norm clipped; bad hyperparameters are refused by name; the kernels compile for PTX and OpenCL.
/// </summary>
public sealed class OptimizerTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    public static TheoryData<string, double[]> Torch => new()
    {
        { "sgd lr=0.1", [0.49618675767461157, -0.79678275689854872, 2.167283866115] },
        { "sgd lr=0.1 momentum=0.9", [0.20658331822438111, 0.49868873584717754, 2.6517463713649998] },
        { "sgd lr=0.1 momentum=0.9 dampening=0.1 weight_decay=0.01", [0.18716273080860979, 0.43024890321515197, 2.5684596739124439] },
        { "sgd lr=0.1 momentum=0.9 nesterov weight_decay=0.01", [0.15395655937408179, 0.42977400200007065, 2.7661223784905133] },
        { "rmsprop lr=0.01", [0.45570474111982606, -1.2019944459386667, 2.2779881131408137] },
        { "rmsprop lr=0.01 alpha=0.9 momentum=0.5 centered weight_decay=0.1", [0.46222197179740609, -1.2919298081918631, 2.1035256441413375] },
        { "adam lr=0.1", [0.26669998225527908, -0.95445305934594038, 2.5730358343389068] },
        { "adam lr=0.1 betas=0.8,0.99 weight_decay=0.1 amsgrad", [0.29600323601372092, -0.95904782650992937, 2.4494281400945379] },
        { "adamw lr=0.1", [0.26466593780519065, -0.94718003070722079, 2.5591046445762977] },
        { "adamw lr=0.1 weight_decay=0.5 amsgrad", [0.17842203710186147, -0.63784309920278404, 1.9446481064879353] },
        { "adam lr=0.1 steplr=2,0.5", [0.27499030895074794, -1.1697700299014973, 2.339736308445751] },
        { "sgd lr=0.1 momentum=0.9 cosine=4,0.01 clip=0.5", [0.45731338096283625, -1.2230846340599792, 2.0754711713974747] },
    };

    [Theory]
    [MemberData(nameof(Torch))]
    public void Six_steps_land_where_pytorchs_do(string configuration, double[] expected)
    {
        var options = configuration.Split(' ').Skip(1).Select(o => o.Split('=')).ToDictionary(o => o[0], o => o.Length > 1 ? o[1] : "");
        double Option(string name, double otherwise) => options.TryGetValue(name, out var v) ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : otherwise;
        var device = cpu.Device;
        using Optimizer<double> optimizer = configuration.Split(' ')[0] switch
        {
            "sgd" => new Sgd<double>(device, 3, Option("lr", 0), Option("momentum", 0), Option("dampening", 0), Option("weight_decay", 0), options.ContainsKey("nesterov")),
            "rmsprop" => new RmsProp<double>(device, 3, Option("lr", 0), Option("alpha", 0.99), weightDecay: Option("weight_decay", 0),
                momentum: Option("momentum", 0), centered: options.ContainsKey("centered")),
            "adam" => new Adam<double>(device, 3, Option("lr", 0), Beta(options, 0), Beta(options, 1), weightDecay: Option("weight_decay", 0), amsgrad: options.ContainsKey("amsgrad")),
            _ => new AdamW<double>(device, 3, Option("lr", 0), weightDecay: Option("weight_decay", 1e-2), amsgrad: options.ContainsKey("amsgrad")),
        };
        ILearningRateSchedule? schedule = options.TryGetValue("steplr", out var step) ? new StepDecay(int.Parse(step.Split(',')[0]), double.Parse(step.Split(',')[1]))
            : options.TryGetValue("cosine", out var cosine) ? new CosineAnnealing(int.Parse(cosine.Split(',')[0]), double.Parse(cosine.Split(',')[1]))
            : null;
        var initial = optimizer.LearningRate;
        using var parameters = device.Upload(new[] { 0.5, -1.5, 2.0 });
        using var gradient = device.Allocate<double>(3);

        for (var t = 1; t <= 6; t++)
        {
            var p = device.Download<double>(parameters.View);
            gradient.View.CopyFromCPU([Math.Sin(t + p[0]), Math.Cos(2 * t) + p[1], 0.1 * t - 0.3 * p[2]]);
            if (options.ContainsKey("clip"))
                GradientClipping.ClipNorm<double>(device, gradient.View, Option("clip", 0));
            optimizer.Step(parameters.View, gradient.View);
            if (schedule is not null)
                optimizer.LearningRate = schedule.At(t, initial);
        }

        var actual = device.Download<double>(parameters.View);
        for (var k = 0; k < 3; k++)
            Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-14 * Math.Abs(expected[k]), $"{configuration}: p[{k}] = {actual[k]:R}, torch {expected[k]:R}");
        Assert.Equal(6, optimizer.Steps);
    }

    [Fact]
    public void State_buffers_carry_pytorchs_names()
    {
        using var adam = new Adam<float>(cpu.Device, 4, amsgrad: true);
        using var rmsprop = new RmsProp<float>(cpu.Device, 4, momentum: 0.9, centered: true);
        using var sgd = new Sgd<float>(cpu.Device, 4, 0.1);

        Assert.Equal(["exp_avg", "exp_avg_sq", "max_exp_avg_sq"], adam.State.Select(s => s.Name));
        Assert.Equal(["square_avg", "momentum_buffer", "grad_avg"], rmsprop.State.Select(s => s.Name));
        Assert.Empty(sgd.State);
    }

    [Fact]
    public void Clipping_returns_the_norm_and_leaves_a_small_gradient_alone()
    {
        using var gradient = cpu.Device.Upload(new[] { 3.0, 4.0 });

        Assert.Equal(5, GradientClipping.ClipNorm<double>(cpu.Device, gradient.View, 10));
        Assert.Equal([3.0, 4.0], cpu.Device.Download<double>(gradient.View));
        Assert.Equal(5, GradientClipping.ClipNorm<double>(cpu.Device, gradient.View, 1));
        Assert.Equal(1, Math.Sqrt(cpu.Device.Download<double>(gradient.View).Sum(g => g * g)), 5);
    }

    [Theory]
    [InlineData("learningRate")]
    [InlineData("beta1")]
    [InlineData("nesterov")]
    [InlineData("count")]
    public void Bad_hyperparameters_are_refused_by_name(string argument)
    {
        var error = Assert.Throws<ArgumentException>(() =>
        {
            using Optimizer<double> optimizer = argument switch
            {
                "learningRate" => new Adam<double>(cpu.Device, 3, learningRate: -1),
                "beta1" => new Adam<double>(cpu.Device, 3, beta1: 1),
                "nesterov" => new Sgd<double>(cpu.Device, 3, 0.1, nesterov: true),
                _ => new Sgd<double>(cpu.Device, 0, 0.1),
            };
        });

        Assert.Equal(argument, error.ParamName);
    }

    [Fact]
    public void A_step_refuses_views_of_another_length()
    {
        using var sgd = new Sgd<double>(cpu.Device, 3, 0.1);
        using var four = cpu.Device.Allocate<double>(4);

        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => sgd.Step(four.View, four.View.SubView(0, 3))).ParamName);
    }

    [Theory]
    [InlineData(nameof(OptimizerKernels.Sgd))]
    [InlineData(nameof(OptimizerKernels.RmsProp))]
    [InlineData(nameof(OptimizerKernels.Adam))]
    [InlineData(nameof(OptimizerKernels.GradientNorm))]
    [InlineData(nameof(OptimizerKernels.Scale))]
    public void Each_kernel_compiles_for_ptx_with_nothing_in_local_memory_and_for_opencl(string name)
    {
        var method = typeof(OptimizerKernels).GetMethod(name)!;
        var kernel = method.MakeGenericMethod([.. method.GetGenericArguments().Select(p => p.Name == "TP" ? typeof(Float32) : typeof(float))]);
        Assert.DoesNotContain(".local", OfflineCompile.ForPtxAndOpenCL(kernel));
    }

    private static double Beta(Dictionary<string, string> options, int k) =>
        options.TryGetValue("betas", out var betas) ? double.Parse(betas.Split(',')[k], System.Globalization.CultureInfo.InvariantCulture) : k == 0 ? 0.9 : 0.999;
}
