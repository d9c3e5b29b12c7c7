namespace OdeGpu.Ensemble;

/// <summary>
/// The fused kernel's component-major layout, [slot][component][trajectory] (neighbouring threads touch neighbouring
/// addresses), from the host's [trajectory][slot][component] (back with <see cref="OdeGpu.Device.OdeDevice.DownloadTransposed{T}"/>).
/// </summary>
internal static class ComponentMajor
{
    /// <summary>The layout of <paramref name="count"/> trajectories whose element (trajectory, slot, component) is <paramref name="value"/>'s.</summary>
    public static T[] Layout<T>(int count, int slots, int dimension, Func<int, int, int, T> value)
    {
        var layout = new T[(long)slots * dimension * count];
        for (var j = 0; j < slots; j++)
            for (var d = 0; d < dimension; d++)
                for (var i = 0; i < count; i++)
                    layout[((long)j * dimension + d) * count + i] = value(i, j, d);
        return layout;
    }
}
