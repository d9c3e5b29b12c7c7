using System.Numerics;
using OdeGpu.Adjoint;

namespace OdeGpu.Flows;

/// <summary>A flow's augmented dynamics, whatever its activation: see <see cref="CnfDynamics{T, TActivation}"/>.</summary>
/// <typeparam name="T">The scalar.</typeparam>
public interface IFlowDynamics<T> : IDifferentiableDynamics<T>, IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The flow's dimension d (the augmented row is longer).</summary>
    int FlowDimension { get; }

    /// <summary>Where the kinetic energy sits in a row; -1 when it is not carried.</summary>
    int KineticIndex { get; }

    /// <summary>Where the Frobenius integral sits in a row; -1 when it is not carried.</summary>
    int FrobeniusIndex { get; }

    /// <summary>Draws the rows' Hutchinson directions for the next solve (nothing for the exact trace).</summary>
    void DrawNoise(Random random);
}
