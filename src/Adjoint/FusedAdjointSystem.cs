using System.Numerics;
using OdeGpu.Differentiation;
using OdeGpu.Ensemble.Adjoint;
using OdeGpu.State;
using OdeGpu.Systems;

namespace OdeGpu.Adjoint;

/// <summary>
/// Picks, on the host by reflection, the fused kernel's adjoint dynamics for a system: <see cref="OwnVjpAdjointSystem{T, TState, TParams, TSystem}"/>
/// when it supplies its own VJP, else <see cref="DualAdjointSystem{T, TState, TParams, TTangent, TDualState, TDualSystem}"/>
/// with one tangent per input column.
/// </summary>
/// <param name="System">The adjoint system, boxed.</param>
/// <param name="Parameters">The parameters' adjoint vector: VecP, or Vec1 when there are none.</param>
internal sealed record FusedAdjointSystem(object System, Type Parameters)
{
    /// <summary>The adjoint dynamics of <paramref name="system"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The system has more than 32 parameters, or needs duals of more than 32 tangents, or is not generic over its arithmetic type.
    /// </exception>
    public static FusedAdjointSystem For<T, TState, TSystem>(TSystem system, bool useSystemVjp)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var count = system.ParameterCount;
        if (count > DualTypes.MaxTangents)
            throw new ArgumentException(
                $"the fused ensemble gradient holds the parameters' adjoint in registers, at most {DualTypes.MaxTangents} of them, but {typeof(TSystem).Name} has {count}",
                nameof(system));
        var parameters = DualTypes.Tangent(typeof(T), Math.Max(count, 1));
        return useSystemVjp && typeof(IVjpSystem<T, TState>).IsAssignableFrom(typeof(TSystem))
            ? new(WithSystem(typeof(OwnVjpAdjointSystem<,,,>).MakeGenericType(typeof(T), typeof(TState), parameters, typeof(TSystem)), system), parameters)
            : new(OnDuals<T, TState, TSystem>(system, parameters), parameters);
    }

    private static object OnDuals<T, TState, TSystem>(TSystem system, Type parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : unmanaged, IStateVector<TState, T>
        where TSystem : struct, IOdeSystem<T, TState>
    {
        var columns = TState.Dimension + 1 + system.ParameterCount;
        if (columns > DualTypes.MaxTangents)
            throw new ArgumentException(
                $"the fused ensemble gradient differentiates {typeof(TSystem).Name} on duals of dimension + 1 + parameters = {columns} tangents, but at most {DualTypes.MaxTangents} fit in registers: implement IVjpSystem, or use AdjointSolver over a DifferentiableSystem",
                nameof(system));
        var tangent = DualTypes.Tangent(typeof(T), columns);
        var dual = DualTypes.Dual(typeof(T), tangent);
        if (DualTypes.Refusal(typeof(TSystem), typeof(TState), typeof(T), dual) is { } reason)
            throw new ArgumentException(reason, nameof(system));
        var dualState = ArithmeticTypes.Replace(typeof(TState), typeof(T), dual);
        var dualSystem = ArithmeticTypes.Replace(typeof(TSystem), typeof(T), dual);
        var type = typeof(DualAdjointSystem<,,,,,>).MakeGenericType(typeof(T), typeof(TState), parameters, tangent, dualState, dualSystem);
        return WithSystem(type, DualTypes.Convert(system, typeof(TState), typeof(T), dual));
    }

    // An adjoint system whose System field holds the given forward system.
    private static object WithSystem(Type adjoint, object system)
    {
        var instance = Activator.CreateInstance(adjoint)!;
        adjoint.GetField(nameof(OwnVjpAdjointSystem<double, Vec3<double>, Vec1<double>, Lorenz<double>>.System))!.SetValue(instance, system);
        return instance;
    }
}
