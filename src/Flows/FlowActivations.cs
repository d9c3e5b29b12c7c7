using OdeGpu.Neural;

namespace OdeGpu.Flows;

/// <summary>Something generic over an activation, run for the one a name picks.</summary>
/// <typeparam name="TResult">What it returns.</typeparam>
public interface IActivationUser<out TResult>
{
    /// <summary>Runs with the activation <typeparamref name="TActivation"/>.</summary>
    TResult Use<TActivation>() where TActivation : struct, IActivation;
}

/// <summary>The activations a flow's network can use, by FFJORD's names.</summary>
public static class FlowActivations
{
    /// <summary>The names, FFJORD's default first.</summary>
    public static readonly string[] Names = ["tanh", "softplus", "elu", "swish", "sigmoid", "relu"];

    /// <summary>Runs <paramref name="user"/> with the activation named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static TResult With<TResult>(string name, IActivationUser<TResult> user) => name switch
    {
        "tanh" => user.Use<Tanh>(),
        "softplus" => user.Use<Softplus>(),
        "elu" => user.Use<Elu>(),
        "swish" => user.Use<Swish>(),
        "sigmoid" => user.Use<Sigmoid>(),
        "relu" => user.Use<Relu>(),
        _ => throw new ArgumentException($"activation '{name}' is not one of {string.Join(", ", Names)}", nameof(name)),
    };
}
