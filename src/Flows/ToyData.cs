using OdeGpu.Neural;

namespace OdeGpu.Flows;

/// <summary>
/// FFJORD's two-dimensional toy densities (lib/toy_data.py), seeded: the same recipes, scales and noise, with this
/// generator in place of NumPy's and scikit-learn's (so the same seed gives other points than FFJORD's, from the same
/// distribution). Samples are rows [count, 2].
/// </summary>
public static class ToyData
{
    /// <summary>The data sets, by FFJORD's names.</summary>
    public static readonly string[] Names = ["8gaussians", "pinwheel", "checkerboard", "2spirals", "rings", "moons", "circles", "swissroll"];

    /// <summary>Draws <paramref name="count"/> points of data set <paramref name="name"/> from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>, or the count is below 1.</exception>
    public static double[,] Sample(string name, int count, Random random)
    {
        if (count < 1)
            throw new ArgumentException($"count must be at least 1, but was {count}", nameof(count));
        var points = name switch
        {
            "8gaussians" => EightGaussians(count, random),
            "pinwheel" => Pinwheel(count, random),
            "checkerboard" => Checkerboard(count, random),
            "2spirals" => TwoSpirals(count, random),
            "rings" => Rings(count, random),
            "moons" => Moons(count, random),
            "circles" => Circles(count, random),
            "swissroll" => SwissRoll(count, random),
            _ => throw new ArgumentException($"name must be one of {string.Join(", ", Names)}, but was '{name}'", nameof(name)),
        };
        var rows = new double[points.Count, 2];
        for (var i = 0; i < points.Count; i++)
            (rows[i, 0], rows[i, 1]) = points[i];
        return rows;
    }

    // Eight unit-variance-0.25 blobs on a circle of radius 4, scaled by 1/1.414.
    private static List<(double, double)> EightGaussians(int count, Random random)
    {
        var r = 1 / Math.Sqrt(2);
        (double X, double Y)[] centers = [(1, 0), (-1, 0), (0, 1), (0, -1), (r, r), (r, -r), (-r, r), (-r, -r)];
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var (x, y) = (Gaussian.Next(random) * 0.5, Gaussian.Next(random) * 0.5);
            var center = centers[random.Next(8)];
            return ((x + 4 * center.X) / 1.414, (y + 4 * center.Y) / 1.414);
        })];
    }

    // Five arms: radial noise 0.3 and tangential 0.1 around radius 1, each turned by 0.25 e^radius (FFJORD draws
    // count // 5 per arm; the first count % 5 arms take one more here, so that count points come back).
    private static List<(double, double)> Pinwheel(int count, Random random)
    {
        var points = new List<(double, double)>();
        for (var label = 0; label < 5; label++)
            for (var k = 0; k < count / 5 + (label < count % 5 ? 1 : 0); k++)
            {
                var (radial, tangential) = (Gaussian.Next(random) * 0.3 + 1, Gaussian.Next(random) * 0.1);
                var angle = 2 * Math.PI * label / 5 + 0.25 * Math.Exp(radial);
                var (c, s) = (Math.Cos(angle), Math.Sin(angle));
                points.Add((2 * (radial * c + tangential * s), 2 * (-radial * s + tangential * c)));
            }
        Shuffle(points, random);
        return points;
    }

    // Uniform on the black squares of a 4 x 4 board of side 2, over [-4, 4)^2.
    private static List<(double, double)> Checkerboard(int count, Random random) =>
    [.. Enumerable.Range(0, count).Select(_ =>
    {
        var x1 = random.NextDouble() * 4 - 2;
        var x2 = random.NextDouble() - random.Next(2) * 2 + (Math.Floor(x1) % 2 + 2) % 2;
        return (2 * x1, 2 * x2);
    })];

    // Two interleaved spirals of one and a half turns, noise 0.1 after a uniform jitter of 0.5, scaled by 1/3 (the
    // second arm mirrors the first, cut to count points in all).
    private static List<(double, double)> TwoSpirals(int count, Random random)
    {
        var half = (count + 1) / 2;
        var arm = Enumerable.Range(0, half).Select(_ =>
        {
            var n = Math.Sqrt(random.NextDouble()) * 540 * 2 * Math.PI / 360;
            return (-Math.Cos(n) * n + random.NextDouble() * 0.5, Math.Sin(n) * n + random.NextDouble() * 0.5);
        }).ToList();
        return [.. arm.Concat(arm.Select(p => (-p.Item1, -p.Item2))).Take(count).Select(p => (p.Item1 / 3 + Gaussian.Next(random) * 0.1, p.Item2 / 3 + Gaussian.Next(random) * 0.1))];
    }

    // Four circles of radii 3, 2.25, 1.5 and 0.75 evenly sampled, shuffled, noise 0.08.
    private static List<(double, double)> Rings(int count, Random random)
    {
        var quarter = count / 4;
        int[] sizes = [quarter, quarter, quarter, count - 3 * quarter];
        double[] radii = [1, 0.75, 0.5, 0.25];
        var points = new List<(double, double)>();
        for (var c = 0; c < 4; c++)
            for (var k = 0; k < sizes[c]; k++)
            {
                var angle = 2 * Math.PI * k / sizes[c];
                points.Add((3 * radii[c] * Math.Cos(angle), 3 * radii[c] * Math.Sin(angle)));
            }
        Shuffle(points, random);
        return [.. points.Select(p => (p.Item1 + Gaussian.Next(random) * 0.08, p.Item2 + Gaussian.Next(random) * 0.08))];
    }

    // scikit-learn's two moons with noise 0.1, times 2, shifted by (-1, -0.2).
    private static List<(double, double)> Moons(int count, Random random)
    {
        var outer = count / 2;
        var inner = count - outer;
        var points = Enumerable.Range(0, outer).Select(k => Math.PI * k / Math.Max(1, outer - 1)).Select(a => (Math.Cos(a), Math.Sin(a)))
            .Concat(Enumerable.Range(0, inner).Select(k => Math.PI * k / Math.Max(1, inner - 1)).Select(a => (1 - Math.Cos(a), 1 - Math.Sin(a) - 0.5))).ToList();
        Shuffle(points, random);
        return [.. points.Select(p => (2 * (p.Item1 + Gaussian.Next(random) * 0.1) - 1, 2 * (p.Item2 + Gaussian.Next(random) * 0.1) - 0.2))];
    }

    // scikit-learn's two circles (the inner one half the size) with noise 0.08, times 3.
    private static List<(double, double)> Circles(int count, Random random)
    {
        var outer = count / 2;
        var inner = count - outer;
        var points = Enumerable.Range(0, outer).Select(k => 2 * Math.PI * k / outer).Select(a => (Math.Cos(a), Math.Sin(a)))
            .Concat(Enumerable.Range(0, inner).Select(k => 2 * Math.PI * k / inner).Select(a => (0.5 * Math.Cos(a), 0.5 * Math.Sin(a)))).ToList();
        Shuffle(points, random);
        return [.. points.Select(p => (3 * (p.Item1 + Gaussian.Next(random) * 0.08), 3 * (p.Item2 + Gaussian.Next(random) * 0.08)))];
    }

    // scikit-learn's swiss roll with noise 1, its x and z, divided by 5.
    private static List<(double, double)> SwissRoll(int count, Random random) =>
    [.. Enumerable.Range(0, count).Select(_ =>
    {
        var t = 1.5 * Math.PI * (1 + 2 * random.NextDouble());
        return ((t * Math.Cos(t) + Gaussian.Next(random)) / 5, (t * Math.Sin(t) + Gaussian.Next(random)) / 5);
    })];

    private static void Shuffle(List<(double, double)> points, Random random)
    {
        for (var i = points.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (points[i], points[j]) = (points[j], points[i]);
        }
    }
}
