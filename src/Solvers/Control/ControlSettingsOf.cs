using OdeGpu.Batched;

namespace OdeGpu.Control;

/// <summary>The kernels' <see cref="ControlSettings"/> for a solve's options, shared by both modes.</summary>
internal static class ControlSettingsOf
{
    /// <summary>The settings of <paramref name="options"/> for a state of <paramref name="dimension"/> components; the span fields are set per solve.</summary>
    public static ControlSettings From(SolveOptions options, int dimension)
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
            RelativeTolerance = adaptive?.Rtol ?? 0,
            NormComponents = options.ErrorOverWholeState ? dimension : options.ErrorComponents?.Length ?? dimension,
        };
    }

    /// <summary>The absolute tolerance of each of <paramref name="dimension"/> components; infinite outside a seminorm's components.</summary>
    public static double[] Atol(SolveOptions options, int dimension)
    {
        var atol = (options.Controller as AdaptiveController)?.Atol ?? [1.0];
        var perComponent = Enumerable.Range(0, dimension).Select(d => atol[atol.Length == 1 ? 0 : d]).ToArray();
        if (options.ErrorComponents is { } kept)
            for (var d = 0; d < dimension; d++)
                if (!kept.Contains(d))
                    perComponent[d] = double.PositiveInfinity;
        return perComponent;
    }
}
