namespace OdeGpu.Systems;

/// <summary>Whether one kernel compiled for one GPU backend, and why not.</summary>
/// <param name="Kernel">The kernel, e.g. "EnsembleKernels.Advance with Tsit5Stepper".</param>
/// <param name="Backend">"PTX sm_90" or "OpenCL C 2.0".</param>
/// <param name="Error">The compiler's message, or null when it compiled.</param>
public sealed record KernelCompileResult(string Kernel, string Backend, string? Error)
{
    /// <summary>True when the kernel compiled.</summary>
    public bool Compiled => Error is null;

    /// <inheritdoc />
    public override string ToString() => Compiled ? $"{Kernel} [{Backend}]: ok" : $"{Kernel} [{Backend}]: {Error}";
}
