using OdeGpu.Batched;

namespace OdeGpu.Control;

/// <summary>The kernels' <see cref="ControlSettings"/> for a solve's options, shared by both modes.</summary>
internal static class ControlSettingsOf
{
    /// <summary>The settings of <paramref name="options"/>; the span fields are those of the batched mode's shared times.</summary>
    public static ControlSettings From(SolveOptions options, double t0 = 0, double t1 = 0, int outputCount = 0)
    {
        var k = options.Method.ErrorOrder + 1;
        var adaptive = options.Controller as AdaptiveController;
        var (beta1, beta2) = adaptive?.Exponents(k) ?? (0, 0);
        return new ControlSettings
        {
            Adaptive = adaptive is null ? 0 : 1,
            Beta1 = beta1,
            Beta2 = beta2,
            Safety = adaptive?.Safety ?? 1,
            MinFactor = adaptive?.MinFactor ?? 1,
            MaxFactor = adaptive?.MaxFactor ?? 1,
            Order = k,
            FixedStep = (options.Controller as FixedStep)?.Dt ?? 0,
            MaxStep = options.MaxStep,
            MinStep = options.MinStep,
            MaxSteps = options.MaxSteps,
            T0 = t0,
            T1 = t1,
            Direction = Math.Sign(t1 - t0),
            OutputCount = outputCount,
            RelativeTolerance = adaptive?.Rtol ?? 0,
        };
    }
}
