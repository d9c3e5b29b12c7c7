using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Tests.Differentiation;

/// <summary>Something checked on one system, generic over its state and type.</summary>
public interface ISystemCheck
{
    /// <summary>Checks <paramref name="system"/> (its fields unused when parameters are given per row).</summary>
    void Run<TState, TSystem>(TSystem system)
        where TState : unmanaged, IStateVector<TState, double>
        where TSystem : struct, IOdeSystem<double, TState>;
}

/// <summary>Every built-in system, by name, in float64, and one that depends on time; ExpDecay at 32 components needs two dual passes.</summary>
public static class SystemCase
{
    /// <summary>The names.</summary>
    public static TheoryData<string> Names => new("lorenz", "vanderpol", "kepler", "pleiades", "arenstorf", "brusselator", "harmonic",
        "lotka-volterra", "exp-decay-5", "exp-decay-32", "forced");

    /// <summary>Runs <paramref name="check"/> on the system named.</summary>
    public static void Run(string name, ISystemCheck check)
    {
        switch (name)
        {
            case "lorenz": check.Run<Vec3<double>, Lorenz<double>>(default); break;
            case "vanderpol": check.Run<Vec2<double>, VanDerPol<double>>(default); break;
            case "kepler": check.Run<Vec4<double>, Kepler<double>>(default); break;
            case "pleiades": check.Run<Vec28<double>, Pleiades<double>>(default); break;
            case "arenstorf": check.Run<Vec4<double>, Arenstorf<double>>(default); break;
            case "brusselator": check.Run<Vec2<double>, Brusselator<double>>(default); break;
            case "harmonic": check.Run<Vec2<double>, Harmonic<double>>(default); break;
            case "lotka-volterra": check.Run<Vec2<double>, LotkaVolterra<double>>(default); break;
            case "exp-decay-5": check.Run<Vec5<double>, ExpDecay<double, Vec5<double>>>(default); break;
            case "exp-decay-32": check.Run<Vec32<double>, ExpDecay<double, Vec32<double>>>(default); break;
            case "forced": check.Run<Vec2<double>, Forced<double>>(default); break;
            default: throw new ArgumentOutOfRangeException(nameof(name), name, "no such system");
        }
    }
}
