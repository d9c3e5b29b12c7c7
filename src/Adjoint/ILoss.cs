using System.Numerics;

namespace OdeGpu.Adjoint;

/// <summary>A loss of the saved states of a solve: its value for each row and its gradient dL/dz at each saved time.</summary>
/// <typeparam name="T">The state scalar.</typeparam>
public interface ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Returns L for each row of <paramref name="saved"/> and writes dL/dz into <paramref name="cotangents"/>.</summary>
    /// <param name="saved">The saved states.</param>
    /// <param name="cotangents">Written: dL/dz at each saved time, [rows, saved times, dim], zero on entry.</param>
    T[] Evaluate(Solution<T> saved, T[,,] cotangents);
}
