using System.Numerics;
using OdeGpu.Batched;
using OdeGpu.Ensemble.Simd;

namespace OdeGpu.Tests.Simd;

/// <summary>
/// The lanes' step controller (<see cref="LaneSteps"/> over <see cref="ControlLanes"/>) decides as
/// <see cref="StepDecision.Decide"/> does, and its single-precision helpers keep the layout of a float or a double group.
/// </summary>
public sealed class LaneControllerTests
{
    private static readonly ControlSettings Pi = new()
    {
        Adaptive = 1, Beta1 = 0.7 / 5, Beta2 = 0.4 / 5, Safety = 0.9, MinFactor = 0.2, MaxFactor = 10, Order = 5,
        MaxStep = double.PositiveInfinity, MinStep = 0, MaxSteps = 100_000,
    };

    [Fact]
    public void Log2_and_Exp2_stay_within_two_parts_in_ten_million_over_the_controllers_range()
    {
        for (var e = -40.0; e <= 40; e += 0.37)
        {
            var x = (float)Math.Pow(2, e);
            Assert.InRange(ControlLanes.Log2(new Vector<float>(x))[0] - Math.Log2(x), -2e-6, 2e-6);
            var power = (double)ControlLanes.Exp2(new Vector<float>((float)(e / 4)))[0];
            Assert.InRange(power / Math.Pow(2, (float)(e / 4)) - 1, -2e-7, 2e-7);
        }
        Assert.Equal(128f, ControlLanes.Log2(new Vector<float>(float.PositiveInfinity))[0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_decision_matches_the_scalar_controller_and_steps_agree_to_round_off(bool afterRejection)
    {
        var random = new Random(7);
        for (var trial = 0; trial < 500; trial++)
        {
            // Errors from far below to far above 1, previous errors above the 1e-4 floor and below it, times near the end.
            var err = Math.Exp(random.NextDouble() * 12 - 9);
            var previous = Math.Exp(random.NextDouble() * 12 - 11);
            var time = random.NextDouble();
            var last = time > 0.95;
            var step = last ? 1 - time : 0.01;
            var s = new StepState
            {
                Time = time, Step = step, PrevError = Math.Max(previous, 1e-4),
                Flags = (afterRejection ? StepFlags.Rejected : 0) | (last ? StepFlags.LastStep : 0),
            };
            var status = StepDecision.Decide((float)err, ref s, Pi, 0, 1, 0);
            var lanes = Lanes(time, step, Math.Max(previous, 1e-4), afterRejection);
            lanes.Last = new Vector<int>(last ? -1 : 0);
            var accepted = lanes.Decide(new Vector<float>((float)err), new Vector<int>(-1), Pi, out var nonFinite, out var success, out var maxSteps, out var tooSmall);

            Assert.Equal(s.Accepted, accepted[0] != 0);
            Assert.Equal(status == TrajectoryStatus.Success, success[0] != 0);
            Assert.Equal(0, nonFinite[0] | maxSteps[0] | tooSmall[0]);
            Assert.Equal(s.Time, lanes.Time[0]);
            Assert.Equal(s.Flags, lanes.Flags(0));
            Assert.Equal((s.AcceptedSteps, s.RejectedSteps), (lanes.Accepted[0], lanes.Rejected[0]));
            Assert.Equal((float)s.PrevError, lanes.PrevError[0]);
            Assert.InRange(lanes.Step[0] / s.Step - 1, -1e-6, 1e-6);
        }
    }

    [Fact]
    public void A_non_finite_error_ends_the_lane_and_the_others_decide_alone()
    {
        var lanes = Lanes(0.5, 0.01, 1, false);
        var err = new Vector<float>(0.5f).WithElement(1, float.NaN);
        var active = new Vector<int>(-1).WithElement(2, 0);
        var before = lanes;

        var accepted = lanes.Decide(err, active, Pi, out var nonFinite, out _, out _, out _);

        Assert.Equal([0, 1], new[] { nonFinite[0], nonFinite[1] }.Select(m => m != 0 ? 1 : 0));
        Assert.Equal([1, 0, 0], new[] { accepted[0], accepted[1], accepted[2] }.Select(m => m != 0 ? 1 : 0));
        Assert.Equal(before.Time[1], lanes.Time[1]);
        Assert.Equal(before.Step[2], lanes.Step[2]);
        Assert.Equal(0.51, lanes.Time[0], 12);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Masks_counters_and_bits_keep_a_groups_lanes_in_order(bool doubleGroup)
    {
        var lanes = doubleGroup ? Vector<double>.Count : Vector<float>.Count;
        int[] counts = [.. Enumerable.Range(0, lanes).Select(j => 10 * j + 1)];
        var counters = ControlLanes.FromLanes<int>(counts, lanes);
        var bits = 0b1101 & ((1 << lanes) - 1); // lanes 0, 2 and 3 of those there are: 0b01 over two double lanes
        var mask = ControlLanes.Mask(bits, lanes);

        Assert.Equal(counts, Enumerable.Range(0, lanes).Select(j => counters[j]));
        Assert.Equal(bits, ControlLanes.Bits(mask, lanes));
        Assert.Equal(bits, ControlLanes.Bits(ControlLanes.Narrow(ControlLanes.Wide(mask)), lanes));
        Assert.Equal(counts, Enumerable.Range(0, lanes).Select(j => (int)ControlLanes.WideCount(counters)[j]));
        if (doubleGroup)
            Assert.Equal(counts[1], counters[1 + lanes]); // a double group's lanes repeat after its last
        Assert.Equal(0, ControlLanes.Bits(ControlLanes.Mask(0, lanes), lanes));
    }

    private static LaneSteps Lanes(double time, double step, double prevError, bool afterRejection) => new()
    {
        Time = new DoubleLanes(time), Step = new DoubleLanes(step), Start = new DoubleLanes(0), End = new DoubleLanes(1),
        PrevError = new Vector<float>((float)prevError), LogPrevError = ControlLanes.Log2(new Vector<float>((float)prevError)),
        Rejection = new Vector<int>(afterRejection ? -1 : 0),
    };
}
