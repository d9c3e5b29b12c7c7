using System.Numerics;
using System.Runtime.CompilerServices;
using OdeGpu.Batched;

namespace OdeGpu.Ensemble.Simd;

/// <summary>
/// The step bookkeeping of a group of lanes (<see cref="StepState"/> per lane) and <see cref="StepDecision.Decide"/>
/// over all of them at once, with masks for the branches: the same formulas in the same order. Times, steps and the
/// step factor are doubles (<see cref="DoubleLanes"/>) as in <see cref="StepState"/>; error norms, the powers'
/// exponents, counters and masks are one vector of float or int (<see cref="ControlLanes"/>), half the instructions of
/// doubles over a float group. Fixed steps are the scalar path's bit for bit. The adaptive controller's power is one
/// (err^-beta1 prevErr^beta2 = 2^(-beta1 log2 err + beta2 log2 prevErr)) from <see cref="ControlLanes.Log2"/> and
/// <see cref="ControlLanes.Exp2"/>, within about 1e-7 of the scalar path's two, and the norm is single precision; so a
/// lane's step sizes differ from its trajectory's in the last float bits, and where an error norm falls within that of
/// 1, it may accept or reject otherwise.
/// </summary>
internal struct LaneSteps
{
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

    /// <summary>Error norm of the last accepted step, at least 1e-4.</summary>
    public Vector<float> PrevError;

    /// <summary>log2 of <see cref="PrevError"/>, kept beside it so that a step takes one logarithm.</summary>
    public Vector<float> LogPrevError;

    /// <summary>Accepted steps.</summary>
    public Vector<int> Accepted;

    /// <summary>Rejected steps.</summary>
    public Vector<int> Rejected;

    /// <summary>Right-hand-side evaluations.</summary>
    public Vector<int> Evaluations;

    /// <summary>Mask: the next step ends at <see cref="End"/> (<see cref="StepFlags.LastStep"/>).</summary>
    public Vector<int> Last;

    /// <summary>Mask: the last attempt was rejected (<see cref="StepFlags.Rejected"/>).</summary>
    public Vector<int> Rejection;

    /// <summary>The span's start (the fixed grid's origin).</summary>
    public DoubleLanes Start;

    /// <summary>The span's end.</summary>
    public DoubleLanes End;

    /// <summary>Steps of the fixed grid from <see cref="Start"/> to <see cref="End"/> (fixed-step solves).</summary>
    public DoubleLanes GridSteps;

    /// <summary>The next output time, NaN when none is left.</summary>
    public DoubleLanes NextOutput;

    // log2 1e-4, the floor of PrevError: a literal, because a static Vector costs the JIT a helper call per read.
    private const float LogErrorFloor = -13.287712f;

    /// <summary>Lane <paramref name="lane"/>'s <see cref="StepFlags"/> from <see cref="Last"/> and <see cref="Rejection"/>.</summary>
    public readonly int Flags(int lane) => (Last[lane] != 0 ? StepFlags.LastStep : 0) | (Rejection[lane] != 0 ? StepFlags.Rejected : 0);

    /// <summary>
    /// Decides the attempts of the <paramref name="active"/> lanes whose error norms are <paramref name="err"/> (NaN
    /// where the state became non-finite) and returns the mask of those accepted; the masks out say which lanes ended
    /// and how. Fixed steps accept every finite attempt and move along the grid.
    /// </summary>
    public Vector<int> Decide(Vector<float> err, Vector<int> active, in ControlSettings c,
        out Vector<int> nonFinite, out Vector<int> success, out Vector<int> maxSteps, out Vector<int> tooSmall)
    {
        nonFinite = active & ~Vector.Equals(err, err);
        var decided = active & ~nonFinite;
        var accepted = c.Adaptive != 0 ? decided & Vector.LessThanOrEqual(err, Vector<float>.One) : decided;
        var moving = c.Adaptive != 0 ? Adapt(err, accepted, decided & ~accepted, c) : Advance(accepted, c);
        success = accepted & ~moving;
        maxSteps = moving & Vector.GreaterThanOrEqual(Accepted + Rejected, new Vector<int>(c.MaxSteps));
        tooSmall = moving & ~maxSteps & ~Last & TooSmall(c);
        return accepted;
    }

    // StepDecision.TooSmall of each lane's next step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly Vector<int> TooSmall(in ControlSettings c)
    {
        var size = DoubleLanes.Abs(Step);
        return ControlLanes.Narrow(DoubleLanes.Less(size, new DoubleLanes(c.MinStep))
            | DoubleLanes.LessOrEqual(size, new DoubleLanes(4.0 * 2.220446049250313e-16) * DoubleLanes.Abs(Time)));
    }

    // The accepted lanes move to their next grid node, and those not at the end take the step to the node after it;
    // returns the lanes that go on.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector<int> Advance(Vector<int> accepted, in ControlSettings c)
    {
        Accepted -= accepted;
        var k = ControlLanes.WideCount(Accepted - new Vector<int>(c.GridOffset));
        var node = Node(k, c.FixedStep);
        Time = DoubleLanes.Select(ControlLanes.Wide(accepted), DoubleLanes.Select(ControlLanes.Wide(Last), End, node), Time);
        var going = accepted & ~Last;
        Rejection &= ~going;
        var one = new DoubleLanes(1.0);
        Step = DoubleLanes.Select(ControlLanes.Wide(going), Node(k + one, c.FixedStep) - node, Step);
        Last = ControlLanes.Select(going, ControlLanes.Narrow(DoubleLanes.LessOrEqual(GridSteps, k + one)), Last);
        return going;
    }

    // The accepted lanes move by their step and the rejected stay; both get the controller's next step. Returns the
    // lanes that go on.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector<int> Adapt(Vector<float> err, Vector<int> accepted, Vector<int> rejected, in ControlSettings c)
    {
        var h = Step;
        Accepted -= accepted;
        Rejected -= rejected;
        Time = DoubleLanes.Select(ControlLanes.Wide(accepted), DoubleLanes.Select(ControlLanes.Wide(Last), End, Time + h), Time);
        var going = accepted & ~Last;
        var logError = ControlLanes.Log2(err);
        var factor = Factor(err, logError, accepted, c);
        PrevError = ControlLanes.Select(going, Vector.MaxNative(err, new Vector<float>(1e-4f)), PrevError);
        LogPrevError = ControlLanes.Select(going, Vector.MaxNative(logError, new Vector<float>(LogErrorFloor)), LogPrevError);
        Rejection = (Rejection | rejected) & ~going;
        var moving = going | rejected;
        var magnitude = DoubleLanes.Min(DoubleLanes.Abs(h * factor), new DoubleLanes(c.MaxStep));
        var remaining = End - Time;
        var last = DoubleLanes.LessOrEqual(DoubleLanes.Abs(remaining), magnitude);
        var step = DoubleLanes.Select(last, remaining, DoubleLanes.CopySign(magnitude, remaining));
        Step = DoubleLanes.Select(ControlLanes.Wide(moving), step, Step);
        Last = ControlLanes.Select(moving, ControlLanes.Narrow(last), Last);
        return moving;
    }

    // StepDecision's factor in every lane: after an accepted step AcceptFactor (its two powers as one, no growth right
    // after a rejection), after a rejected one the shrink err^(-1/k); the power in single precision as
    // StepDecision.Power computes each, the rest in double, clamped as the scalar path clamps.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly DoubleLanes Factor(Vector<float> err, Vector<float> logError, Vector<int> accepted, in ControlSettings c)
    {
        var grow = logError * new Vector<float>((float)-c.Beta1);
        if (c.Beta2 != 0)
            grow += LogPrevError * new Vector<float>((float)c.Beta2);
        var exponent = ControlLanes.Select(accepted, grow, logError * new Vector<float>((float)(-1.0 / c.Order)));
        var factor = new DoubleLanes(c.Safety) * ControlLanes.Wide(ControlLanes.Exp2(exponent));
        var largest = new DoubleLanes(c.MaxFactor);
        var ceiling = DoubleLanes.Select(ControlLanes.Wide(accepted),
            DoubleLanes.Select(ControlLanes.Wide(Rejection), DoubleLanes.Min(largest, new DoubleLanes(1.0)), largest), new DoubleLanes(double.PositiveInfinity));
        factor = DoubleLanes.Min(ceiling, DoubleLanes.Max(new DoubleLanes(c.MinFactor), factor));
        return DoubleLanes.Select(ControlLanes.Wide(Vector.Equals(err, Vector<float>.Zero)), ceiling, factor);
    }

    // FixedGrid.Node in every lane: t0 + k dt towards t1, and t1 from node n on.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly DoubleLanes Node(DoubleLanes k, double dt)
    {
        var signed = DoubleLanes.Select(DoubleLanes.LessOrEqual(Start, End), new DoubleLanes(dt), new DoubleLanes(-dt));
        return DoubleLanes.Select(DoubleLanes.LessOrEqual(GridSteps, k), End, Start + k * signed);
    }
}
