using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Neural;

/// <summary>Arguments of <see cref="CubeKernels"/>: a state, its cube, and their cotangents or tangents.</summary>
/// <typeparam name="T">The scalar.</typeparam>
public struct CubeArgs<T> : IElementArgs<CubeArgs<T>> where T : unmanaged
{
    /// <summary>The input y.</summary>
    public ArrayView<T> Y;

    /// <summary>Written by the forward pass: y^3 elementwise.</summary>
    public ArrayView<T> Cube;

    /// <summary>The cube's cotangent (VJP) or y's tangent (JVP).</summary>
    public ArrayView<T> In;

    /// <summary>Written: y's cotangent 3 y^2 In (VJP), or the cube's tangent 3 y^2 In (JVP).</summary>
    public ArrayView<T> Out;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly CubeArgs<T> From(long first) => this with { First = first };
}
