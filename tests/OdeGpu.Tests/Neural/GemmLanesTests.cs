using System.Numerics;
using OdeGpu.Device;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// The convolutions' matrix product on vector lanes against the triple loop, in float and double, over shapes that reach
/// every tile (six and four rows by two vectors, six rows by the one vector left over, single rows, scalar columns), an
/// inner dimension longer than a panel, and A read both ways.
/// </summary>
public sealed class GemmLanesTests
{
    [Theory]
    [InlineData(64, 176, 64, false)]
    [InlineData(13, 8 + 3, 300, true)]
    [InlineData(5, 40, 9, false)]
    [InlineData(17, 4 * 16 + 12, 257, true)]
    [InlineData(1, 5, 3, false)]
    public void The_product_accumulates_the_triple_loops_result(int m, int n, int k, bool transposedA)
    {
        Compare<double>(m, n, k, transposedA, 1e-12);
        Compare<float>(m, n, k, transposedA, 1e-4f);
    }

    private static void Compare<T>(int m, int n, int k, bool transposedA, T tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m * 1000 + n * 10 + k);
        T[] Draw(int length) => [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(2 * random.NextDouble() - 1))];
        var (a, b, c) = (Draw(m * k), Draw(k * n + 3), Draw(m * (n + 2)));
        var (aRow, aColumn) = transposedA ? (1, m) : (k, 1);
        var expected = (T[])c.Clone();
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
                for (var l = 0; l < k; l++)
                    expected[i * (n + 2) + j] += a[i * aRow + l * aColumn] * b[l * n + j];

        GemmLanes.Product<T>(m, n, k, a, aRow, aColumn, b, n, c, n + 2);

        for (var e = 0; e < c.Length; e++)
            Assert.True(T.Abs(c[e] - expected[e]) <= tolerance * T.CreateChecked(Math.Sqrt(k)), $"element {e} of [{m} x {n + 2}]: {c[e]} against {expected[e]}");
    }
}
