using OdeGpu.Flows;

namespace OdeGpu.Tests.Flows;

/// <summary>
/// FFJORD's toy densities (<see cref="ToyData"/>): every data set gives the points asked for, finite, the same for a seed;
/// the 8 Gaussians sit around their centers, the checkerboard only on its black squares, the rings on their radii,
/// the circles at radii 3 and 1.5, the swiss roll inside its spiral's reach; an unknown name is refused with the list.
/// </summary>
public sealed class ToyDataTests
{
    public static TheoryData<string> Names => [.. ToyData.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_data_set_gives_count_finite_points_the_same_for_a_seed(string name)
    {
        var first = ToyData.Sample(name, 1003, new Random(7));
        var second = ToyData.Sample(name, 1003, new Random(7));

        Assert.Equal(1003, first.GetLength(0));
        Assert.All(first.Cast<double>(), x => Assert.True(double.IsFinite(x) && Math.Abs(x) < 10));
        Assert.Equal(first, second);
        Assert.NotEqual(first, ToyData.Sample(name, 1003, new Random(8)));
    }

    [Fact]
    public void The_eight_gaussians_sit_around_their_centers()
    {
        var points = ToyData.Sample("8gaussians", 4000, new Random(1));
        var distances = Enumerable.Range(0, 4000).Select(i => Enumerable.Range(0, 8).Min(k =>
        {
            var angle = k * Math.PI / 4;
            var (cx, cy) = (4 * Math.Cos(angle) / 1.414, 4 * Math.Sin(angle) / 1.414);
            return Math.Sqrt((points[i, 0] - cx) * (points[i, 0] - cx) + (points[i, 1] - cy) * (points[i, 1] - cy));
        })).ToList();

        // a 2-d normal of standard deviation 0.5 / 1.414 has a mean distance of 0.354 sqrt(pi / 2) = 0.443 from its center
        Assert.InRange(distances.Average(), 0.42, 0.47);
    }

    [Fact]
    public void The_checkerboard_fills_only_its_black_squares()
    {
        var points = ToyData.Sample("checkerboard", 4000, new Random(2));

        for (var i = 0; i < 4000; i++)
            Assert.Equal(0, ((int)Math.Floor(points[i, 0] / 2) + (int)Math.Floor(points[i, 1] / 2) + 100) % 2);
    }

    [Theory]
    [InlineData("rings", new[] { 3.0, 2.25, 1.5, 0.75 }, 0.3)]
    [InlineData("circles", new[] { 3.0, 1.5 }, 0.9)]
    public void Rings_and_circles_lie_on_their_radii(string name, double[] radii, double spread)
    {
        var points = ToyData.Sample(name, 4000, new Random(3));

        var offsets = Enumerable.Range(0, 4000).Select(i => radii.Min(r => Math.Abs(Math.Sqrt(points[i, 0] * points[i, 0] + points[i, 1] * points[i, 1]) - r))).ToList();
        Assert.True(offsets.Average() < spread / 3, $"mean distance from the nearest radius {offsets.Average()}");
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_list()
    {
        var error = Assert.Throws<ArgumentException>(() => ToyData.Sample("spirals", 10, new Random(0)));

        Assert.Equal("name", error.ParamName);
        Assert.Contains("8gaussians, pinwheel, checkerboard, 2spirals, rings, moons, circles, swissroll", error.Message);
    }
}
