namespace OdeGpu.Device;

/// <summary>How kernels run when the device is the CPU.</summary>
public enum CpuLauncher
{
    /// <summary>
    /// The kernel bodies are called directly on the host over the index range (a loop for small ranges,
    /// Parallel.For over chunks for large ones). The production CPU path: ILGPU's CPU accelerator simulates
    /// GPU threads at 0.26-63 ms per launch, which a solver launching several kernels per stage cannot afford.
    /// </summary>
    Direct,

    /// <summary>ILGPU's CPU accelerator: the same kernels through ILGPU's launch path, for tests.</summary>
    Accelerator,
}
