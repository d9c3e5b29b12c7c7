namespace OdeGpu.Adjoint;

/// <summary>The rows of a [rows, columns] array that one chunk or round of a fused solve covers.</summary>
internal static class ArrayRows
{
    /// <summary>Rows <paramref name="rows"/> of <paramref name="values"/>, in that order.</summary>
    public static T[,] Select<T>(T[,] values, int[] rows)
    {
        var selected = new T[rows.Length, values.GetLength(1)];
        for (var i = 0; i < rows.Length; i++)
            for (var k = 0; k < selected.GetLength(1); k++)
                selected[i, k] = values[rows[i], k];
        return selected;
    }
}
