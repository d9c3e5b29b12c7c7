namespace OdeGpu.Device;

/// <summary>The backend a solve runs on.</summary>
public enum DeviceKind
{
    /// <summary>The host processor.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda,

    /// <summary>An OpenCL 2.0 device with generic address space (AMD, Intel, NVIDIA).</summary>
    OpenCL,
}
