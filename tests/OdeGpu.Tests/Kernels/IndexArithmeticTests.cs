using System.Numerics;
using OdeGpu.Batched;
using OdeGpu.Device;

namespace OdeGpu.Tests.Kernels;

/// <summary>
/// The batched layout's offsets at sizes whose products pass 2^31 (rows x dim, stages x rows x dim,
/// rows x outputs x dim), checked against BigInteger arithmetic without allocating anything that large.
/// </summary>
public sealed class IndexArithmeticTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1 << 20, 1 << 12, 3 },     // rows x dim = 2^32
        { 1 << 22, 1 << 10, 1001 },  // rows x outputs x dim ~ 2^42
        { int.MaxValue, 3, 2 },
        { 3, int.MaxValue, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Element_row_and_component_round_trip_at_the_last_element(int rows, int dim, int outputs)
    {
        var length = BatchIndex.Elements(rows, dim);
        var last = length - 1;

        Assert.Equal(new BigInteger(rows) * dim, new BigInteger(length));
        Assert.Equal(rows - 1, BatchIndex.Row(last, dim));
        Assert.Equal(dim - 1, BatchIndex.Component(last, rows - 1, dim));
        Assert.Equal(new BigInteger(outputs) * rows * dim - 1, new BigInteger(BatchIndex.Stage(outputs - 1, length, last)));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_output_offset_of_the_last_row_and_time_is_exact(int rows, int dim, int outputs)
    {
        var expected = (new BigInteger(rows - 1) * outputs + (outputs - 1)) * dim;

        Assert.Equal(expected, new BigInteger(BatchIndex.Output(rows - 1, outputs, outputs - 1, dim)));
    }

    [Fact]
    public void Launch_slices_cover_more_than_two_to_the_31_elements_exactly_once()
    {
        var length = (1L << 32) + 3;

        var slices = new List<(long First, int Count)>();
        for (long first = 0; first < length; first += OdeDevice.MaxLaunch) // as LaunchElements walks them
            slices.Add((first, OdeDevice.SliceLength(length, first)));

        Assert.Equal(5, slices.Count);
        Assert.All(slices, s => Assert.InRange(s.Count, 1, OdeDevice.MaxLaunch));
        for (var i = 1; i < slices.Count; i++)
            Assert.Equal(slices[i - 1].First + slices[i - 1].Count, slices[i].First);
        Assert.Equal(length, slices[^1].First + slices[^1].Count);
    }
}
