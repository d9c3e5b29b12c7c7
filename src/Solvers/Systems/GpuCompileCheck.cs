using System.Numerics;
using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using OdeGpu.Batched;
using OdeGpu.Ensemble;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Tableaux;

namespace OdeGpu.Systems;

/// <summary>
/// Compiles the kernels a system runs in, offline, for CUDA (PTX sm_90) and OpenCL C 2.0, on any machine: the CPU
/// runs a system's .NET code as it is, so code the GPU backends refuse (a class, an exception, a call that may throw,
/// <c>T.CreateTruncating</c> in <c>Evaluate</c>) only shows when it is compiled for them. Call it from a test.
/// </summary>
public static class GpuCompileCheck
{
    /// <summary>
    /// Compiles the batched-mode evaluation kernel and the fused ensemble kernels of <typeparamref name="TSystem"/>
    /// for each method (every method with a fused stepper when none are given), for both backends.
    /// </summary>
    /// <returns>One result per kernel and backend; a system that compiles everywhere has only compiled results.</returns>
    public static IReadOnlyList<KernelCompileResult> Check<T, TState, TSystem>(params ButcherTableau[] methods)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var precision = PrecisionOf.Struct<T>();
        Type[] system = [typeof(T), precision, typeof(TState), typeof(TSystem)];
        var noAction = typeof(NoOutputAction<T, TState>);
        var kernels = new List<(string, MethodInfo)>
        {
            ("SystemKernels.Evaluate", Kernel(typeof(SystemKernels), nameof(SystemKernels.Evaluate), system)),
            ("EnsembleKernels.Start", Kernel(typeof(EnsembleKernels), nameof(EnsembleKernels.Start), [.. system, noAction])),
        };
        var steppers = methods.Length > 0 ? methods.Select(FusedSteppers.Of) : Methods.All.Select(FusedSteppers.Of);
        kernels.AddRange(steppers.Select(s => ($"EnsembleKernels.Advance with {s.Name}",
            Kernel(typeof(EnsembleKernels), nameof(EnsembleKernels.Advance), [.. system, s, noAction]))));
        return kernels.SelectMany(k => new[] { Compile(k, "PTX sm_90", Ptx), Compile(k, "OpenCL C 2.0", OpenCL) }).ToList();
    }

    /// <summary>
    /// <see cref="Check{T, TState, TSystem}"/> for a closed system type found at run time (in an assembly, say): its
    /// arithmetic and state types are read from its <see cref="IOdeSystem{T, TState}"/> interface.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="system"/> is not a closed struct implementing IOdeSystem.</exception>
    public static IReadOnlyList<KernelCompileResult> Check(Type system, params ButcherTableau[] methods)
    {
        var contract = system.IsValueType && !system.ContainsGenericParameters
            ? system.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IOdeSystem<,>))
            : null;
        if (contract is null)
            throw new ArgumentException($"{system.Name} is not a closed struct that implements IOdeSystem<T, TState>", nameof(system));
        var check = typeof(GpuCompileCheck).GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.IsGenericMethodDefinition)
            .MakeGenericMethod([.. contract.GetGenericArguments(), system]);
        try
        {
            return (IReadOnlyList<KernelCompileResult>)check.Invoke(null, [methods])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private static MethodInfo Kernel(Type type, string name, Type[] arguments) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(arguments);

    // A failed compile poisons its Context, so each compile gets a fresh one.
    private static KernelCompileResult Compile((string Name, MethodInfo Method) kernel, string backendName, Func<Context, Backend> backend)
    {
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
        try
        {
            backend(context).Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel.Method), default);
            return new(kernel.Name, backendName, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new(kernel.Name, backendName, Innermost(e).Message);
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    /// <summary>The PTX backend every offline check uses: sm_90 with the ISA 8.0 instruction set.</summary>
    internal static Backend Ptx(Context context) =>
        new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);

    /// <summary>The OpenCL backend every offline check uses: OpenCL C 2.0 with generic address space and fp64.</summary>
    internal static Backend OpenCL(Context context) =>
        new CLBackend(context, new CLCapabilityContext(false, true, true, true, false), CLDeviceVendor.Other, CLCVersion.CL20);
}
