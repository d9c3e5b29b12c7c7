using System.Numerics;

namespace OdeGpu.Neural.Checkpoints;

/// <summary>
/// An MLP's flat parameters as PyTorch's state dict (<see cref="MlpDynamics{T, TActivation}.ParameterNames"/>: the names,
/// shapes and order of an nn.Sequential, or of FFJORD's ConcatLinear and ConcatSquashLinear layers), and back.
/// </summary>
public static class MlpStateDict
{
    /// <summary>The tensors of <paramref name="parameters"/>, in 32 or 64 bits as T is.</summary>
    public static IReadOnlyList<Tensor> ToTensors<T>(int[] widths, MlpLayer layer, T[] parameters) where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. MlpDynamics<T, Identity>.ParameterNames(widths, layer).Select(p =>
            new Tensor(p.Name, p.Shape, [.. parameters.Skip(p.Offset).Take(p.Shape.Aggregate(1, (n, d) => n * d)).Select(double.CreateTruncating)], typeof(T) == typeof(double)))];

    /// <summary>
    /// The flat parameters of an MLP of these widths and layers from its state dict, as
    /// <c>load_state_dict(strict=True)</c> would take it: every name present with its shape, no other.
    /// </summary>
    /// <param name="tensors">The tensors read.</param>
    /// <param name="widths">The MLP's widths.</param>
    /// <param name="layer">Its layers.</param>
    /// <param name="source">Where the tensors came from, for the messages (a file's path).</param>
    /// <exception cref="InvalidDataException">A tensor is missing, extra, or of another shape; the message names it and <paramref name="source"/>.</exception>
    public static T[] FromTensors<T>(IReadOnlyList<Tensor> tensors, int[] widths, MlpLayer layer, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var names = MlpDynamics<T, Identity>.ParameterNames(widths, layer);
        var byName = tensors.ToDictionary(t => t.Name);
        var missing = names.Select(n => n.Name).Where(n => !byName.ContainsKey(n)).ToList();
        var extra = byName.Keys.Except(names.Select(n => n.Name)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new InvalidDataException(
                $"'{source}' does not hold the state dict of an MLP [{string.Join(", ", widths)}] with {layer} layers: missing {Listed(missing)}, unexpected {Listed(extra)}");
        var parameters = new T[MlpDynamics<T, Identity>.ParameterCountOf(widths, layer)];
        foreach (var (name, offset, shape) in names)
        {
            var tensor = byName[name];
            if (!tensor.Shape.SequenceEqual(shape))
                throw new InvalidDataException($"'{source}': tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}], but the MLP needs [{string.Join(", ", shape)}]");
            for (var k = 0; k < tensor.Values.Length; k++)
                parameters[offset + k] = T.CreateTruncating(tensor.Values[k]);
        }
        return parameters;
    }

    private static string Listed(List<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
