namespace OdeGpu.Gradients;

/// <summary>
/// How the gradients of a solve are computed (diffrax's <c>adjoint=</c>): <see cref="ContinuousAdjoint"/> solves a
/// second ODE backwards in memory that does not grow with the steps.
/// </summary>
public abstract record AdjointMethod
{
    private protected AdjointMethod()
    {
    }
}
