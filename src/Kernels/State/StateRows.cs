using System.Numerics;

namespace OdeGpu.State;

/// <summary>Host conversions between per-trajectory states and the [rows, dim] arrays of the batched mode and the CLI.</summary>
public static class StateRows
{
    /// <summary>One state per row of <paramref name="rows"/>.</summary>
    /// <exception cref="ArgumentException">The rows do not have <c>TState.Dimension</c> columns.</exception>
    public static TState[] ToStates<T, TState>(T[,] rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
    {
        var states = new TState[rows.GetLength(0)];
        var components = new T[rows.GetLength(1)];
        for (var i = 0; i < states.Length; i++)
        {
            for (var d = 0; d < components.Length; d++)
                components[d] = rows[i, d];
            states[i] = TState.FromComponents(components);
        }
        return states;
    }

    /// <summary>The states as the rows of a [states, dim] array.</summary>
    public static T[,] FromStates<T, TState>(TState[] states)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
    {
        var rows = new T[states.Length, TState.Dimension];
        for (var i = 0; i < states.Length; i++)
            for (var d = 0; d < TState.Dimension; d++)
                rows[i, d] = TState.Component(states[i], d);
        return rows;
    }
}
