using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/OdeGpu.Bench -- --filter '*L1*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
