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

using VdpOnDuals = DualAdjointSystem<double, Vec2<double>, Vec1<double>, Vec4<double>, Vec2<Dual<double, Vec4<double>>>, VanDerPol<Dual<double, Vec4<double>>>>;

/// <summary>
/// The fused gradients' kernels compile offline for PTX sm_90 with nothing in local memory and for OpenCL C 2.0: the
/// continuous adjoint (the fused kernel on the augmented state, with the output action that resets z and adds dL/dz)
/// and the discrete adjoint's sweep (each thread replaying its recorded steps by the stepper's Reverse), on Lorenz in
/// float64 by its own VJP and on Van der Pol in float64 by duals of 4 tangents. Only these two: ILGPU's compile time
/// grows fast with the dual code (DerivativeKernelCompilationTests).
/// </summary>
public sealed class FusedAdjointCompilationTests
{
    public static TheoryData<string, string> Kernels => new()
    {
        { "continuous", "lorenz" }, { "continuous", "vdp" }, { "discrete", "lorenz" }, { "discrete", "vdp" },
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Compiles_for_ptx_sm90_with_nothing_in_local_memory(string adjoint, string system)
    {
        var ptx = ((PTXCompiledKernel)Compile(adjoint, system, GpuCompileCheck.Ptx)).PTXAssembly;

        Assert.DoesNotContain(".local", ptx);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Compiles_for_opencl_c_2_0(string adjoint, string system) => Assert.NotNull(Compile(adjoint, system, GpuCompileCheck.OpenCL));

    // A failed compile poisons its Context, so each compile gets a fresh one.
    private static CompiledKernel Compile(string adjoint, string system, Func<Context, Backend> backend)
    {
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
        var kernel = (adjoint, system) switch
        {
            ("continuous", "lorenz") => Advance<Vec3<double>, Vec3<double>, OwnVjpAdjointSystem<double, Vec3<double>, Vec3<double>, Lorenz<double>>>(),
            ("continuous", _) => Advance<Vec2<double>, Vec1<double>, VdpOnDuals>(),
            (_, "lorenz") => Sweep<Vec3<double>, Vec3<double>, Lorenz<double>, OwnVjpAdjointSystem<double, Vec3<double>, Vec3<double>, Lorenz<double>>>(),
            _ => Sweep<Vec2<double>, Vec1<double>, VanDerPol<double>, VdpOnDuals>(),
        };
        return backend(context).Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), default);
    }

    private static System.Reflection.MethodInfo Sweep<TState, TParams, TSystem, TAdjoint>()
        where TState : unmanaged, IStateVector<TState, double>
        where TParams : unmanaged, IStateVector<TParams, double> =>
        typeof(DiscreteSweepKernels).GetMethod(nameof(DiscreteSweepKernels.Sweep))!.MakeGenericMethod(typeof(double), typeof(Float64),
            typeof(TState), typeof(TParams), typeof(TSystem), typeof(TAdjoint), FusedSteppers.Of(Methods.Dopri5));

    private static System.Reflection.MethodInfo Advance<TState, TParams, TSystem>()
        where TState : unmanaged, IStateVector<TState, double>
        where TParams : unmanaged, IStateVector<TParams, double> =>
        typeof(EnsembleKernels).GetMethod(nameof(EnsembleKernels.Advance))!.MakeGenericMethod(typeof(double), typeof(Float64),
            typeof(AdjointState<double, TState, TParams>), typeof(TSystem), FusedSteppers.Of(Methods.Tsit5), typeof(AdjointOutputAction<double, TState, TParams>));
}
