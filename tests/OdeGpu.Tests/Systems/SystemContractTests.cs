using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Batched;
using OdeGpu.Control;
using OdeGpu.Ensemble;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Systems;

/// <summary>
/// What a user system may rely on: parameters arrive through <see cref="IParameters{T}"/>, a solve without a
/// parameter array uses the system's own fields, a <c>static readonly</c> constant compiles for every backend as a
/// literal, and <see cref="GpuCompileCheck"/> tells on a machine without a GPU whether a system compiles for one.
/// </summary>
public sealed class SystemContractTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private static readonly double[] Times = [0, 0.5, 1];

    [Fact]
    public void Without_a_parameter_array_the_fields_of_the_system_are_used_in_both_modes()
    {
        var system = new ExpDecay<double, Vec1<double>> { K = 3 };
        var y0 = new[] { new Vec1<double>(1), new Vec1<double>(2) };
        var options = new SolveOptions { Controller = new PIController(1e-10, 1e-12) };

        var ensemble = EnsembleSolver.Solve(cpu.Device, system, y0, (double[,]?)null, Times, options);
        using var dynamics = new SystemDynamics<double, Vec1<double>, ExpDecay<double, Vec1<double>>>(cpu.Device, system, rows: 2);
        var batched = BatchedSolver.Solve(dynamics, new double[,] { { 1 }, { 2 } }, Times, options);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal((i + 1) * Math.Exp(-3), ensemble[i, 2, 0], 1e-9);
            Assert.Equal((i + 1) * Math.Exp(-3), batched[i, 2, 0], 1e-9);
        }
    }

    [Fact]
    public void A_parameter_array_that_does_not_fit_the_system_is_refused_naming_the_shape()
    {
        var y0 = new[] { new Vec3<double>(1, 0, 0) };

        var error = Assert.Throws<ArgumentException>(() =>
            EnsembleSolver.Solve(cpu.Device, default(Lorenz<double>), y0, new double[1, 2], Times));

        Assert.Equal("parameters", error.ParamName);
        Assert.Contains("[1 x 3]", error.Message);
        Assert.Contains("pass null to use the system's own fields", error.Message);
    }

    [Fact]
    public void A_static_readonly_constant_solves_like_the_same_constant_given_as_a_parameter()
    {
        var y0 = new[] { new Vec1<float>(1) };
        var options = new SolveOptions { Method = Methods.Rk4, Controller = new FixedStep(0.01) };

        var constant = EnsembleSolver.Solve(cpu.Device, default(ConstantDecay<float>), y0, (float[,]?)null, Times, options);
        var parameter = EnsembleSolver.Solve(cpu.Device, default(ExpDecay<float, Vec1<float>>), y0, new float[,] { { 0.51f } }, Times, options);

        Assert.Equal(parameter.Values, constant.Values);
    }

    [Fact]
    public void A_static_readonly_constant_compiles_for_ptx_and_opencl()
    {
        var results = GpuCompileCheck.Check<float, Vec1<float>, ConstantDecay<float>>(Methods.Tsit5);

        Assert.Equal(6, results.Count); // batched evaluation, fused start and fused Tsit5, each for two backends
        Assert.All(results, r => Assert.True(r.Compiled, r.ToString()));
    }

    [Fact]
    public void The_compile_check_reports_a_system_the_gpu_backends_refuse()
    {
        var results = GpuCompileCheck.Check<float, Vec1<float>, ConvertsInKernel<float>>(Methods.Rk4);

        Assert.Contains(results, r => !r.Compiled && r.Backend == "PTX sm_90" && r.Kernel == "SystemKernels.Evaluate");
        Assert.Contains(results, r => !r.Compiled && r.Backend == "OpenCL C 2.0");
        Assert.All(results.Where(r => !r.Compiled), r => Assert.False(string.IsNullOrWhiteSpace(r.Error)));
    }

    [Fact]
    public void Every_built_in_system_passes_the_compile_check_for_tsit5()
    {
        Assert.All(GpuCompileCheck.Check<float, Vec3<float>, Lorenz<float>>(Methods.Tsit5), r => Assert.True(r.Compiled, r.ToString()));
        Assert.All(GpuCompileCheck.Check<double, Vec4<double>, Arenstorf<double>>(Methods.Tsit5), r => Assert.True(r.Compiled, r.ToString()));
    }
}

/// <summary>y' = -0.51 y with the rate as a static readonly constant.</summary>
public struct ConstantDecay<T> : IOdeSystem<T, Vec1<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Rate = T.CreateTruncating(0.51);

    public readonly int ParameterCount => 0;

    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec1<T> Evaluate(T t, Vec1<T> y) => new(-Rate * y.X);
}

/// <summary>The same system written the way that runs on the CPU but not on GPUs: a conversion inside Evaluate.</summary>
public struct ConvertsInKernel<T> : IOdeSystem<T, Vec1<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly int ParameterCount => 0;

    public void LoadParameters<TParameters>(TParameters parameters) where TParameters : struct, IParameters<T>
    {
    }

    public readonly Vec1<T> Evaluate(T t, Vec1<T> y) => new(-T.CreateTruncating(0.51) * y.X);
}
