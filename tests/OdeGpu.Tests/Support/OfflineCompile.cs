using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using OdeGpu.Systems;

namespace OdeGpu.Tests.Support;

/// <summary>A closed kernel compiled offline for PTX (sm_90) and OpenCL C, each in a fresh context (a failed compile poisons its context).</summary>
public static class OfflineCompile
{
    /// <summary>Compiles <paramref name="kernel"/> for both backends, asserting each gives a result; returns its PTX.</summary>
    public static string ForPtxAndOpenCL(MethodInfo kernel)
    {
        var ptx = "";
        foreach (var backend in new[] { GpuCompileCheck.Ptx, GpuCompileCheck.OpenCL })
        {
            using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
            var compiled = backend(context).Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), default);
            Assert.NotNull(compiled);
            if (compiled is PTXCompiledKernel p)
                ptx = p.PTXAssembly;
        }
        return ptx;
    }
}
