using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using OdeGpu.Differentiation;
using OdeGpu.Ensemble;
using OdeGpu.Ensemble.Adjoint;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;
using OdeGpu.Tableaux;

namespace OdeGpu.Tests.Adjoint;

/// <summary>
/// The fused kernel run on the continuous adjoint's augmented state, with the output action that resets z and adds
/// dL/dz, compiles offline for PTX sm_90 with nothing in local memory and for OpenCL C 2.0: on Lorenz in float64 by its
/// own VJP, and on Van der Pol in float64 by duals of 4 tangents. Only these two: ILGPU's compile time grows fast with
/// the dual code (DerivativeKernelCompilationTests).
/// </summary>
public sealed class FusedAdjointCompilationTests
{
    public static TheoryData<string> Systems => ["lorenz", "vdp"];

    [Theory]
    [MemberData(nameof(Systems))]
    public void Compiles_for_ptx_sm90_with_nothing_in_local_memory(string system)
    {
        var ptx = ((PTXCompiledKernel)Compile(system, GpuCompileCheck.Ptx)).PTXAssembly;

        Assert.DoesNotContain(".local", ptx);
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public void Compiles_for_opencl_c_2_0(string system) => Assert.NotNull(Compile(system, GpuCompileCheck.OpenCL));

    // A failed compile poisons its Context, so each compile gets a fresh one.
    private static CompiledKernel Compile(string system, Func<Context, Backend> backend)
    {
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
        var kernel = system == "lorenz"
            ? Advance<Vec3<double>, Vec3<double>, OwnVjpAdjointSystem<double, Vec3<double>, Vec3<double>, Lorenz<double>>>()
            : Advance<Vec2<double>, Vec1<double>,
                DualAdjointSystem<double, Vec2<double>, Vec1<double>, Vec4<double>, Vec2<Dual<double, Vec4<double>>>, VanDerPol<Dual<double, Vec4<double>>>>>();
        return backend(context).Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), default);
    }

    private static System.Reflection.MethodInfo Advance<TState, TParams, TSystem>()
        where TState : unmanaged, IStateVector<TState, double>
        where TParams : unmanaged, IStateVector<TParams, double> =>
        typeof(EnsembleKernels).GetMethod(nameof(EnsembleKernels.Advance))!.MakeGenericMethod(typeof(double), typeof(Float64),
            typeof(AdjointState<double, TState, TParams>), typeof(TSystem), FusedSteppers.Of(Methods.Tsit5), typeof(AdjointOutputAction<double, TState, TParams>));
}
