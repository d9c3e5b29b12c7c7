using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using OdeGpu.Batched;
using OdeGpu.Differentiation;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Tests.Differentiation;

/// <summary>
/// Every derivative kernel, instantiated on duals with every built-in system (float32; Lorenz also float64),
/// compiles offline for PTX sm_90 with nothing in local memory and for OpenCL C 2.0. So do a plain kernel run on duals
/// and Lorenz's own vector-Jacobian product run on duals (forward over reverse). ILGPU's compile time grows faster
/// than the dual code does (measured on 2 cores: the VJP of Pleiades, 28 states x 29 tangents, 40-57 s for PTX;
/// exp-decay at 16 states, 23 s; at 32 states with 32 tangents, 190 s), so of the VJPs with more than
/// <see cref="SmallColumns"/> tangents only Pleiades' is compiled, and for PTX only: the largest built-in case, where
/// local memory would show first.
/// </summary>
public sealed class DerivativeKernelCompilationTests
{
    private const int SmallColumns = 8;

    public static TheoryData<string> KernelNames => new(Kernels().Keys);

    public static TheoryData<string> PtxKernelNames => new([.. Kernels().Keys, Pleiades]);

    private static string Pleiades => "Vjp<Single, Float32, Vec29`1, Vec28`1, Pleiades`1>";

    [Theory]
    [MemberData(nameof(PtxKernelNames))]
    public void Compiles_for_ptx_sm90_with_nothing_in_local_memory(string name)
    {
        var ptx = ((PTXCompiledKernel)Compile(name, GpuCompileCheck.Ptx)).PTXAssembly;

        Assert.DoesNotContain(".local", ptx);
    }

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void Compiles_for_opencl_c_2_0(string name) => Assert.NotNull(Compile(name, GpuCompileCheck.OpenCL));

    [Fact]
    public void Discovery_covers_every_kernel_and_every_built_in_system()
    {
        var names = Kernels().Keys.ToList();

        foreach (var kernel in typeof(DerivativeKernels).GetMethods(BindingFlags.Public | BindingFlags.Static))
            Assert.Contains(names, n => n.StartsWith($"{kernel.Name}<", StringComparison.Ordinal));
        Assert.Contains("Jvp<Single, Float32, Vec28`1, Pleiades`1>", names);
        Assert.Contains("Jvp<Single, Float32, Vec32`1, ExpDecay`2>", names);
        Assert.Contains("Vjp<Single, Float32, Vec7`1, Vec5`1, ExpDecay`2>", names);
        Assert.Contains("Jvp<Double, Float64, Vec3`1, Lorenz`1>", names);
    }

    // A failed compile poisons its Context, so each compile gets a fresh one.
    private static CompiledKernel Compile(string name, Func<Context, Backend> backend)
    {
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
        var kernel = name == Pleiades ? DualKernels(typeof(float), typeof(Float32), typeof(Pleiades<float>), int.MaxValue).Last() : Kernels()[name];
        return backend(context).Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), default);
    }

    private static Dictionary<string, MethodInfo> Kernels()
    {
        var kernels = new List<MethodInfo>();
        foreach (var (scalar, precision) in new[] { (typeof(float), typeof(Float32)), (typeof(double), typeof(Float64)) })
        {
            foreach (var system in BuiltInSystems(scalar).Where(s => scalar == typeof(float) || s.Name.StartsWith("Lorenz", StringComparison.Ordinal)))
                kernels.AddRange(DualKernels(scalar, precision, system, SmallColumns));
        }
        var dual = typeof(Dual<float, Vec1<float>>);
        var dualPrecision = typeof(DualPrecision<float, Float32, Vec1<float>>);
        kernels.Add(Method(typeof(DerivativeKernels), nameof(DerivativeKernels.SystemVjp), typeof(float), typeof(Float32), typeof(Vec3<float>), typeof(Lorenz<float>)));
        kernels.Add(Method(typeof(DerivativeKernels), nameof(DerivativeKernels.SystemVjp), dual, dualPrecision, typeof(Vec3<>).MakeGenericType(dual), typeof(Lorenz<>).MakeGenericType(dual)));
        kernels.Add(Method(typeof(SystemKernels), nameof(SystemKernels.Evaluate), dual, dualPrecision, typeof(Vec3<>).MakeGenericType(dual), typeof(Lorenz<>).MakeGenericType(dual)));
        return kernels.ToDictionary(k => $"{(k.DeclaringType == typeof(SystemKernels) ? "SystemKernels." : "")}{k.Name}<{string.Join(", ", k.GetGenericArguments().Select(a => a.Name))}>");
    }

    // The JVP on one tangent and, where the columns are at most maxColumns, the VJP on as many tangents (at most 32),
    // as SystemDerivatives picks them.
    private static IEnumerable<MethodInfo> DualKernels(Type scalar, Type precision, Type system, int maxColumns)
    {
        var contract = system.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IOdeSystem<,>));
        var state = contract.GetGenericArguments()[1];
        var parameters = (int)system.GetProperty(nameof(IOdeSystem<float, Vec1<float>>.ParameterCount))!.GetValue(Activator.CreateInstance(system))!;
        var columns = (int)state.GetProperty("Dimension")!.GetValue(null)! + 1 + parameters;
        foreach (var (kernel, tangent) in new[] { (nameof(DerivativeKernels.Jvp), DualTypes.Tangent(scalar, 1)), (nameof(DerivativeKernels.Vjp), DualTypes.Tangent(scalar, Math.Min(DualTypes.MaxTangents, columns))) })
        {
            if (kernel == nameof(DerivativeKernels.Vjp) && columns > maxColumns)
                continue;
            var dual = DualTypes.Dual(scalar, tangent);
            Type[] rest = [ArithmeticTypes.Replace(state, scalar, dual), ArithmeticTypes.Replace(system, scalar, dual)];
            yield return kernel == nameof(DerivativeKernels.Jvp)
                ? Method(typeof(DerivativeKernels), kernel, [scalar, precision, .. rest])
                : Method(typeof(DerivativeKernels), kernel, [scalar, precision, tangent, .. rest]);
        }
    }

    private static MethodInfo Method(Type type, string name, params Type[] arguments) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(arguments);

    // Every built-in system closed over the scalar; exp-decay over states of 2, 5, 16 and 32 components.
    private static IEnumerable<Type> BuiltInSystems(Type scalar) =>
        typeof(IOdeSystem<,>).Assembly.GetTypes()
            .Where(t => t.IsValueType && t.IsGenericTypeDefinition && t.Namespace == typeof(Lorenz<>).Namespace
                && t.GetInterfaces().Any(i => i.Name == typeof(IOdeSystem<,>).Name))
            .SelectMany(d => d.GetGenericArguments().Length == 1
                ? [d.MakeGenericType(scalar)]
                : new[] { 2, 5, 16, 32 }.Select(n => d.MakeGenericType(scalar, DualTypes.Tangent(scalar, n))));
}
