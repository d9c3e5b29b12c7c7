using OdeGpu.Tableaux;

namespace OdeGpu.Ensemble;

/// <summary>Finds the generated fused stepper of a tableau (OdeGpu.Ensemble.Steppers.{Name}Stepper in OdeGpu.Kernels).</summary>
public static class FusedSteppers
{
    /// <summary>The <see cref="IStepper"/> struct of <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException">The method has no fused stepper (a tableau defined outside OdeGpu).</exception>
    public static Type Of(ButcherTableau method)
    {
        var name = $"{typeof(IStepper).Namespace}.Steppers.{char.ToUpperInvariant(method.Name[0])}{method.Name[1..]}Stepper";
        var type = typeof(IStepper).Assembly.GetType(name);
        return type is not null && type.IsValueType && typeof(IStepper).IsAssignableFrom(type)
            ? type
            : throw new ArgumentException($"method '{method.Name}' has no fused stepper for the ensemble mode; use the batched mode", "method");
    }
}
