using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Batched;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// The step bookkeeping of a group of lanes (<see cref="StepState"/> per lane) and <see cref="StepDecision.Decide"/>
/// over all of them at once, with masks for the branches: the same formulas in the same order. Fixed steps are the
/// scalar path's bit for bit; the adaptive controller's powers come from <see cref="DoubleLanes.Log2"/> and
/// <see cref="DoubleLanes.Exp2"/>, within about 1e-7 of the scalar path's single-precision ones, so a lane's step sizes
/// differ from its trajectory's in the last float bits, and where an error norm falls within that of 1, it may accept
/// or reject otherwise.
/// </summary>
internal struct LaneSteps
{
    private static readonly DoubleLanes One = new(1.0);

    /// <summary>Current time.</summary>
    public DoubleLanes Time;

    /// <summary>Signed size of the next attempt.</summary>
    public DoubleLanes Step;

    /// <summary>
    /// Start of the step just accepted, set only where it reaches an output (the only reader), as the time before the
    /// decision: the controller then keeps two selects per step fewer than <see cref="StepState"/> does.
    /// </summary>
    public DoubleLanes PrevTime;

    /// <summary>Signed size of the step just accepted, set with <see cref="PrevTime"/>.</summary>
    public DoubleLanes UsedStep;

    /// <summary>Error norm of the last accepted step.</summary>
    public DoubleLanes PrevError;

    /// <summary>Accepted steps.</summary>
    public DoubleLanes Accepted;

    /// <summary>Rejected steps.</summary>
    public DoubleLanes Rejected;

    /// <summary>Right-hand-side evaluations.</summary>
    public DoubleLanes Evaluations;

    /// <summary>Mask: the next step ends at <see cref="End"/> (<see cref="StepFlags.LastStep"/>).</summary>
    public DoubleLanes Last;

    /// <summary>Mask: the last attempt was rejected (<see cref="StepFlags.Rejected"/>).</summary>
    public DoubleLanes Rejection;

    /// <summary>The span's start (the fixed grid's origin).</summary>
    public DoubleLanes Start;

    /// <summary>The span's end.</summary>
    public DoubleLanes End;

    /// <summary>Steps of the fixed grid from <see cref="Start"/> to <see cref="End"/> (fixed-step solves).</summary>
    public DoubleLanes GridSteps;

    /// <summary>The next output time, NaN when none is left.</summary>
    public DoubleLanes NextOutput;

    /// <summary>Lane <paramref name="lane"/>'s <see cref="StepFlags"/> from <see cref="Last"/> and <see cref="Rejection"/>.</summary>
    public readonly int Flags(int lane) => (Last.IsSet(lane) ? StepFlags.LastStep : 0) | (Rejection.IsSet(lane) ? StepFlags.Rejected : 0);

    /// <summary>
    /// Decides the attempts of the <paramref name="active"/> lanes whose error norms are <paramref name="err"/> (NaN
    /// where the state became non-finite) and returns the mask of those accepted; the masks out say which lanes ended
    /// and how. Fixed steps accept every finite attempt and move along the grid.
    /// </summary>
    public DoubleLanes Decide(DoubleLanes err, DoubleLanes active, in ControlSettings c,
        out DoubleLanes nonFinite, out DoubleLanes success, out DoubleLanes maxSteps, out DoubleLanes tooSmall)
    {
        nonFinite = active & DoubleLanes.IsNaN(err);
        var decided = active & ~nonFinite;
        var accepted = c.Adaptive != 0 ? decided & DoubleLanes.LessOrEqual(err, One) : decided;
        var moving = c.Adaptive != 0 ? Adapt(err, accepted, decided & ~accepted, c) : Advance(accepted, c);
        success = accepted & ~moving;
        maxSteps = moving & DoubleLanes.LessOrEqual(new DoubleLanes(c.MaxSteps), Accepted + Rejected);
        var size = DoubleLanes.Abs(Step);
        tooSmall = moving & ~maxSteps & ~Last
            & (DoubleLanes.Less(size, new DoubleLanes(c.MinStep)) | DoubleLanes.LessOrEqual(size, new DoubleLanes(4.0 * 2.220446049250313e-16) * DoubleLanes.Abs(Time)));
        return accepted;
    }

    // The accepted lanes move to their next grid node, and those not at the end take the step to the node after it;
    // returns the lanes that go on.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private DoubleLanes Advance(DoubleLanes accepted, in ControlSettings c)
    {
        Accepted += accepted & One;
        var k = Accepted - new DoubleLanes(c.GridOffset);
        var node = Node(k, c.FixedStep);
        Time = DoubleLanes.Select(accepted, DoubleLanes.Select(Last, End, node), Time);
        var going = accepted & ~Last;
        Rejection = DoubleLanes.Select(going, DoubleLanes.False, Rejection);
        Step = DoubleLanes.Select(going, Node(k + One, c.FixedStep) - node, Step);
        Last = DoubleLanes.Select(going, DoubleLanes.LessOrEqual(GridSteps, k + One), Last);
        return going;
    }

    // The accepted lanes move by their step and the rejected stay; both get the controller's next step. Returns the
    // lanes that go on.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private DoubleLanes Adapt(DoubleLanes err, DoubleLanes accepted, DoubleLanes rejected, in ControlSettings c)
    {
        var h = Step;
        Accepted += accepted & One;
        Time = DoubleLanes.Select(accepted, DoubleLanes.Select(Last, End, Time + h), Time);
        var going = accepted & ~Last;
        var logError = err.Log2();
        var grow = AcceptFactor(err, logError, c);
        PrevError = DoubleLanes.Select(going, DoubleLanes.Max(err, new DoubleLanes(1e-4)), PrevError);
        var shrink = DoubleLanes.Max(new DoubleLanes(c.MinFactor), new DoubleLanes(c.Safety) * DoubleLanes.Exp2(logError * new Vector<float>((float)(-1.0 / c.Order))));
        var factor = DoubleLanes.Select(accepted, grow, shrink);
        Rejection = DoubleLanes.Select(going, DoubleLanes.False, DoubleLanes.Select(rejected, DoubleLanes.True, Rejection));
        Rejected += rejected & One;
        var moving = going | rejected;
        var magnitude = DoubleLanes.Min(DoubleLanes.Abs(h * factor), new DoubleLanes(c.MaxStep));
        var remaining = End - Time;
        var last = DoubleLanes.LessOrEqual(DoubleLanes.Abs(remaining), magnitude);
        var step = DoubleLanes.Select(last, remaining, DoubleLanes.Select(DoubleLanes.LessOrEqual(DoubleLanes.False, remaining), magnitude, -magnitude));
        Step = DoubleLanes.Select(moving, step, Step);
        Last = DoubleLanes.Select(moving, last, Last);
        return moving;
    }

    // StepDecision.AcceptFactor in every lane, its two powers as one: err^-beta1 prevErr^beta2 = 2^(-beta1 log2 err +
    // beta2 log2 prevErr), in single precision as StepDecision.Power computes each.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly DoubleLanes AcceptFactor(DoubleLanes err, Vector<float> logError, in ControlSettings c)
    {
        var exponent = logError * new Vector<float>((float)-c.Beta1);
        if (c.Beta2 != 0)
            exponent += PrevError.Log2() * new Vector<float>((float)c.Beta2);
        var factor = new DoubleLanes(c.Safety) * DoubleLanes.Exp2(exponent);
        factor = DoubleLanes.Select(DoubleLanes.Equal(err, DoubleLanes.False), new DoubleLanes(c.MaxFactor), factor);
        factor = DoubleLanes.Min(new DoubleLanes(c.MaxFactor), DoubleLanes.Max(new DoubleLanes(c.MinFactor), factor));
        return DoubleLanes.Select(Rejection, DoubleLanes.Min(factor, One), factor);
    }

    // FixedGrid.Node in every lane: t0 + k dt towards t1, and t1 from node n on.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly DoubleLanes Node(DoubleLanes k, double dt)
    {
        var signed = DoubleLanes.Select(DoubleLanes.LessOrEqual(Start, End), new DoubleLanes(dt), new DoubleLanes(-dt));
        return DoubleLanes.Select(DoubleLanes.LessOrEqual(GridSteps, k), End, Start + k * signed);
    }
}
