using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.Systems;

namespace OdeGpu.Differentiation;

/// <summary>Adds a system's a^T df/dp and a^T df/dt to one row of device buffers.</summary>
/// <typeparam name="T">The stored scalar.</typeparam>
/// <param name="dt">a^T df/dt, [rows].</param>
/// <param name="dp">a^T df/dp, [rows x parameters].</param>
/// <param name="row">The row.</param>
/// <param name="parameters">Parameters per row.</param>
public readonly struct RowGradient<T>(ArrayView<T> dt, ArrayView<T> dp, int row, int parameters) : IVjpGradient<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ArrayView<T> _dt = dt, _dp = dp;
    private readonly int _row = row, _parameters = parameters;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddParameter(int k, T value)
    {
        // Parameters held in the system's fields are not differentiated.
        if (k < _parameters)
            _dp[(long)_row * _parameters + k] += value;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddTime(T value) => _dt[_row] += value;
}
