using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using OdeGpu.State;

namespace OdeGpu.Differentiation;

/// <summary>
/// Writes tangent k, column <c>first + k</c> of a row of a^T [df/dy | df/dt | df/dp], to its place in the outputs of
/// <see cref="VjpArgs{T, TSystem}"/>; columns past the last are dropped. Accumulates the count of tangents read.
/// </summary>
/// <typeparam name="T">The stored scalar.</typeparam>
/// <typeparam name="TSystem">The system in the arguments.</typeparam>
/// <param name="args">The outputs and the shape.</param>
/// <param name="row">The row.</param>
/// <param name="dimension">The state's dimension.</param>
public readonly struct GradientWriter<T, TSystem>(in VjpArgs<T, TSystem> args, int row, int dimension) : IComponentFold<T, int>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TSystem : struct
{
    private readonly ArrayView<T> _dy = args.Dy, _dt = args.Dt, _dp = args.Dp;
    private readonly int _row = row, _dimension = dimension, _parameters = args.ParameterCount, _first = args.First;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Add(int accumulated, int k, T component)
    {
        var column = _first + k;
        if (column < _dimension)
            _dy[(long)_row * _dimension + column] = component;
        else if (column == _dimension)
            _dt[_row] = component;
        else if (column - _dimension - 1 < _parameters)
            _dp[(long)_row * _parameters + column - _dimension - 1] = component;
        return accumulated + 1;
    }
}
