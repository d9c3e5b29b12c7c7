using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using OdeGpu.Batched;
using OdeGpu.Ensemble;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Tests.Kernels;

/// <summary>
/// Every kernel of OdeGpu.Kernels, found by reflection and instantiated for float32 and float64 (and for every built-in
/// system), compiles offline for PTX (sm_90) and OpenCL C 2.0: the CPU launchers run the .NET code and would not catch
/// what the GPU backends refuse.
/// </summary>
public sealed class KernelCompilationTests
{
    public static TheoryData<string> KernelNames => new(Kernels().Select(k => k.Name));

    // Every batched kernel, the fused kernel of every stepper on Lorenz in float32, and both modes of Pleiades (a
    // generated state vector) in float32.
    public static TheoryData<string> ClangKernelNames => new(Kernels().Select(k => k.Name)
        .Where(n => !n.StartsWith("SystemKernels", StringComparison.Ordinal) && !n.StartsWith("Ensemble", StringComparison.Ordinal)
            || n.Contains("Single, Float32, Vec3`1, Lorenz`1", StringComparison.Ordinal)
            || n is "SystemKernels.Evaluate<Single, Float32, Vec28`1, Pleiades`1>" or "EnsembleKernels.Advance<Single, Float32, Vec28`1, Pleiades`1, Tsit5Stepper, NoOutputAction`2>"));

    // The per-step kernels of the batched mode, and the system evaluation on Van der Pol.
    public static TheoryData<string> BatchedKernelNames => new(Kernels().Select(k => k.Name)
        .Where(n => n.StartsWith("StageKernels", StringComparison.Ordinal) || n.StartsWith("ErrorKernels", StringComparison.Ordinal)
            || n.StartsWith("ControlKernels", StringComparison.Ordinal) || n.StartsWith("DenseKernels", StringComparison.Ordinal)
            || n.StartsWith("CommitKernels", StringComparison.Ordinal) || n.Contains("Evaluate<Double, Float64, Vec2`1, VanDerPol`1>", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void Compiles_for_ptx_sm90(string name) =>
        Compile(name, GpuCompileCheck.Ptx);

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void Compiles_for_opencl_c_2_0(string name) =>
        Compile(name, GpuCompileCheck.OpenCL);

    /// <summary>
    /// ILGPU's OpenCL C passes a real OpenCL 2.0 front end (Debian's clang-14), which checks what ILGPU's own code
    /// generator cannot: that the source is valid OpenCL C. No OpenCL device is needed.
    /// </summary>
    [Theory]
    [MemberData(nameof(ClangKernelNames))]
    public void OpenCL_source_passes_clang_as_opencl_c_2_0(string name)
    {
        const string clang = "/usr/bin/clang-14";
        if (!File.Exists(clang))
            Assert.Skip("clang-14 is not installed");
        var kernel = Kernels().Single(k => k.Name == name);
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
        var backend = GpuCompileCheck.OpenCL(context);
        var source = ((CLCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel.Method), default)).Source;
        var directory = Directory.CreateTempSubdirectory("odegpu-cl-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "kernel.cl"), source);
            var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(clang,
                ["-cl-std=CL2.0", "-Xclang", "-finclude-default-header", "-target", "spir64", "-c", "-emit-llvm", "-o", "kernel.bc", "kernel.cl"])
            {
                WorkingDirectory = directory,
                RedirectStandardError = true,
            })!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, errors);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Discovery_finds_every_kernel_family()
    {
        var names = Kernels().Select(k => k.Name).ToList();

        foreach (var family in new[] { "StageKernels.Combine", "ErrorKernels.Propose", "ErrorKernels.RowNorm", "ErrorKernels.SharedNorm",
                     "ControlKernels.Control", "DenseKernels.Interpolate", "CommitKernels.Commit",
                     "InitialStepKernels.Probe", "InitialStepKernels.Estimate", "InitialStepKernels.Share", "InitialStepKernels.UseGiven",
                     "SystemKernels.Evaluate", "EnsembleKernels.Start", "EnsembleKernels.Advance",
                     "AdjointKernels.Split", "AdjointKernels.Join", "AdjointOutputKernels.Begin", "AdjointOutputKernels.SumParameters",
                     "DiscreteAdjointKernels.StageState", "DiscreteAdjointKernels.Seed", "DiscreteAdjointKernels.Accumulate",
                     "DiscreteAdjointKernels.Checkpoint", "DiscreteAdjointKernels.PrepareRecompute", "DiscreteAdjointKernels.FinishRecompute" })
            Assert.Contains(names, n => n.StartsWith(family, StringComparison.Ordinal));
        Assert.Contains("SystemKernels.Evaluate<Single, Float32, Vec4`1, Arenstorf`1>", names);
        // 8 steppers over the 9 systems in float32 (exp-decay at four dimensions) and Lorenz in float64
        Assert.Equal(8 * (9 + 3 + 1), names.Count(n => n.StartsWith("EnsembleKernels.Advance", StringComparison.Ordinal)));
        Assert.Contains("EnsembleKernels.Advance<Single, Float32, Vec3`1, Lorenz`1, Dopri8Stepper, NoOutputAction`2>", names);
        Assert.Contains("EnsembleKernels.Advance<Single, Float32, Vec28`1, Pleiades`1, Dopri8Stepper, NoOutputAction`2>", names);
        Assert.Contains("SystemKernels.Evaluate<Double, Float64, Vec32`1, ExpDecay`2>", names);
    }

    /// <summary>
    /// ILGPU puts nothing in local memory, even at 28 components with Dopri8's 16 stages: whether the registers suffice
    /// is then up to ptxas (bench/RESULTS.md).
    /// </summary>
    [Theory]
    [InlineData("Vec3`1, Lorenz`1", "Tsit5Stepper")]
    [InlineData("Vec3`1, Lorenz`1", "Dopri8Stepper")]
    [InlineData("Vec28`1, Pleiades`1", "Tsit5Stepper")]
    [InlineData("Vec28`1, Pleiades`1", "Dopri8Stepper")]
    public void The_fused_kernel_puts_nothing_in_local_memory(string system, string stepper)
    {
        var kernel = Kernels().Single(k => k.Name == $"EnsembleKernels.Advance<Single, Float32, {system}, {stepper}, NoOutputAction`2>");
        var ptx = Ptx(kernel.Method);

        Assert.DoesNotContain(".local", ptx);
    }

    /// <summary>
    /// The batched kernels reach their views through <see cref="OdeGpu.Device.IViewAccess"/>: on GPUs that is the view's
    /// own indexer, and a ref-returning accessor must not make ILGPU take element addresses through local memory.
    /// </summary>
    [Theory]
    [MemberData(nameof(BatchedKernelNames))]
    public void The_batched_kernels_put_nothing_in_local_memory(string name)
    {
        var kernel = Kernels().Single(k => k.Name == name);
        var ptx = Ptx(kernel.Method);

        Assert.DoesNotContain(".local", ptx);
    }

    /// <summary>
    /// Counting running trajectories and their progress is a reduction after the launch: an atomic add by every thread
    /// on the same two addresses serializes on a GPU.
    /// </summary>
    [Theory]
    [InlineData("EnsembleKernels.Advance<Single, Float32, Vec3`1, Lorenz`1, Tsit5Stepper, NoOutputAction`2>")]
    [InlineData("ControlKernels.Control")]
    public void The_fused_kernel_and_the_controller_count_without_atomics(string name)
    {
        var kernel = Kernels().Single(k => k.Name == name);
        var ptx = Ptx(kernel.Method);

        Assert.DoesNotContain("atom.", ptx);
        Assert.DoesNotContain("red.", ptx);
    }

    private static string Ptx(MethodInfo kernel)
    {
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
        return ((PTXCompiledKernel)GpuCompileCheck.Ptx(context).Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), default)).PTXAssembly;
    }

    // A failed compile poisons its Context, so each compile gets a fresh one.
    private static void Compile(string name, Func<Context, Backend> backend)
    {
        var kernel = Kernels().Single(k => k.Name == name);
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
        var compiled = backend(context).Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel.Method), default);
        Assert.NotNull(compiled);
    }

    private static IEnumerable<(string Name, MethodInfo Method)> Kernels()
    {
        var namespaces = new[] { typeof(StageKernels).Namespace, typeof(EnsembleKernels).Namespace, typeof(OdeGpu.Adjoint.AdjointKernels).Namespace };
        var kernelTypes = typeof(StageKernels).Assembly.GetTypes().Where(t => t.IsAbstract && t.IsSealed && namespaces.Contains(t.Namespace));
        foreach (var method in kernelTypes.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
                     .Where(m => m.GetParameters().FirstOrDefault()?.ParameterType == typeof(Index1D)))
        {
            foreach (var closed in Instantiations(method))
            {
                var args = closed.IsGenericMethod ? $"<{string.Join(", ", closed.GetGenericArguments().Select(a => a.Name))}>" : "";
                yield return ($"{method.DeclaringType!.Name}.{method.Name}{args}", closed);
            }
        }
    }

    // float32 and float64 for the stage kernels and every system; the fused kernel for every stepper with every system
    // in float32 and with Lorenz in float64.
    private static IEnumerable<MethodInfo> Instantiations(MethodInfo method)
    {
        if (!method.IsGenericMethodDefinition)
        {
            yield return method;
            yield break;
        }
        var parameters = method.GetGenericArguments().Select(p => p.Name).ToArray();
        foreach (var (scalar, precision) in new[] { (typeof(float), typeof(Float32)), (typeof(double), typeof(Float64)) })
        {
            if (parameters.Contains("TStepper"))
            {
                foreach (var stepper in Steppers())
                    foreach (var (state, system) in Systems(scalar).Where(s => scalar == typeof(float) || s.System.Name.StartsWith("Lorenz", StringComparison.Ordinal)))
                        yield return method.MakeGenericMethod(scalar, precision, state, system, stepper, NoAction(scalar, state));
            }
            else if (parameters.Contains("TSystem"))
            {
                foreach (var (state, system) in Systems(scalar))
                    yield return parameters.Contains("TAction")
                        ? method.MakeGenericMethod(scalar, precision, state, system, NoAction(scalar, state))
                        : method.MakeGenericMethod(scalar, precision, state, system);
            }
            else
            {
                yield return method.MakeGenericMethod(parameters.Length == 1 ? [scalar] : [scalar, precision]);
            }
        }
    }

    private static Type NoAction(Type scalar, Type state) => typeof(NoOutputAction<,>).MakeGenericType(scalar, state);

    private static IEnumerable<Type> Steppers() =>
        typeof(IStepper).Assembly.GetTypes().Where(t => t.IsValueType && typeof(IStepper).IsAssignableFrom(t));

    // Every built-in system closed over the scalar; the generic-state ones (exp-decay) over states of 2, 5, 16 and 32
    // components, the smallest and largest generated state vectors among them.
    private static IEnumerable<(Type State, Type System)> Systems(Type scalar)
    {
        var definitions = typeof(IOdeSystem<,>).Assembly.GetTypes()
            .Where(t => t.IsValueType && t.IsGenericTypeDefinition && t.Namespace == typeof(Lorenz<>).Namespace
                && t.GetInterfaces().Any(i => i.Name == typeof(IOdeSystem<,>).Name));
        foreach (var definition in definitions)
        {
            var systems = definition.GetGenericArguments().Length == 1
                ? [definition.MakeGenericType(scalar)]
                : new[] { 2, 5, 16, 32 }.Select(n => definition.MakeGenericType(scalar, StateVector(n).MakeGenericType(scalar)));
            foreach (var system in systems)
                yield return (system.GetInterfaces().Single(i => i.Name == typeof(IOdeSystem<,>).Name).GetGenericArguments()[1], system);
        }
    }

    private static Type StateVector(int dimension) =>
        typeof(Vec2<>).Assembly.GetType($"{typeof(Vec2<>).Namespace}.Vec{dimension}`1") ?? throw new ArgumentOutOfRangeException(nameof(dimension));
}
