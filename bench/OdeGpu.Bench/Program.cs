using BenchmarkDotNet.Running;
using OdeGpu.Bench;

// dotnet run -c Release --project bench/OdeGpu.Bench -- --filter '*L1*'
// dotnet run -c Release --project bench/OdeGpu.Bench -- spills
if (args is ["spills"])
    SpillReport.Run();
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
