using System.Numerics;
using ILGPU;

namespace OdeGpu.Batched;

/// <summary>
/// Where a batched solve whose rows all take the same steps keeps its stage evaluations for a later pass (the discrete
/// adjoint's VJPs): stage j of the step after n accepted ones is evaluated into slot n <see cref="StepStages"/> + j, and
/// the evaluation at a step's end (its FSAL stage, or the end derivative) into the next step's stage 0. A rejected
/// attempt's slots are overwritten by the next attempt's.
/// </summary>
/// <param name="StepStages">The stages of a step that are kept: those its result combines.</param>
/// <param name="Evaluate">Evaluates f(time, y) into dy and keeps the evaluation in the slot given last.</param>
internal sealed record StageSlots<T>(int StepStages, Action<ArrayView<double>, ArrayView<T>, ArrayView<T>, int> Evaluate)
    where T : unmanaged, IFloatingPointIeee754<T>;
