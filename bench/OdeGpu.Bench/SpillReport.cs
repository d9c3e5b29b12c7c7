using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using OdeGpu.Ensemble;
using OdeGpu.Ensemble.Steppers;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Bench;

/// <summary>
/// Compiles the fused ensemble kernel to PTX for sm_90 (offline, no GPU) at several state dimensions: the local memory
/// ILGPU gives it, and the registers it needs (<see cref="PtxRegisterPressure"/>) against sm_90's 255 per thread.
/// </summary>
public static partial class SpillReport
{
    /// <summary>Prints one Markdown table row per kernel.</summary>
    public static void Run()
    {
        Console.WriteLine("| system | dim | stepper | scalar | .local bytes | ld.local | st.local | calls | peak live 32-bit registers | without parameters |");
        Console.WriteLine("|---|---:|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var stepper in new[] { typeof(Tsit5Stepper), typeof(Dopri8Stepper) })
            foreach (var (scalar, precision) in new[] { (typeof(float), typeof(Float32)), (typeof(double), typeof(Float64)) })
                foreach (var (name, state, system) in Systems(scalar))
                    Row(name, state, system, stepper, scalar, precision);
    }

    private static IEnumerable<(string Name, Type State, Type System)> Systems(Type scalar)
    {
        foreach (var n in new[] { 4, 8, 16, 28, 32 })
        {
            var state = typeof(Vec4<>).Assembly.GetType($"OdeGpu.State.Vec{n}`1")!.MakeGenericType(scalar);
            yield return ("exp-decay", state, typeof(ExpDecay<,>).MakeGenericType(scalar, state));
        }
        yield return ("pleiades", typeof(Vec28<>).MakeGenericType(scalar), typeof(Pleiades<>).MakeGenericType(scalar));
    }

    private static void Row(string name, Type state, Type system, Type stepper, Type scalar, Type precision)
    {
        var kernel = typeof(EnsembleKernels).GetMethod(nameof(EnsembleKernels.Advance))!.MakeGenericMethod(scalar, precision, state, system, stepper,
            typeof(NoOutputAction<,>).MakeGenericType(scalar, state));
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1).EnableAlgorithms());
        var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        var ptx = ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), default)).PTXAssembly;

        var localBytes = LocalDeclaration().Matches(ptx).Sum(m => long.Parse(m.Groups[1].Value));
        var dimension = (int)state.GetProperty("Dimension")!.GetValue(null)!;
        Console.WriteLine($"| {name} | {dimension} | {stepper.Name.Replace("Stepper", "")} | {scalar.Name.ToLowerInvariant()} | {localBytes} " +
            $"| {Regex.Count(ptx, @"ld\.local")} | {Regex.Count(ptx, @"st\.local")} | {Regex.Count(ptx, @"\bcall")} | {PtxRegisterPressure.Peak(ptx, true)} | {PtxRegisterPressure.Peak(ptx, false)} |");
    }

    [GeneratedRegex(@"\.local\s+(?:\.align\s+\d+\s+)?\.b8\s+\S+\[(\d+)\]")]
    private static partial Regex LocalDeclaration();
}
