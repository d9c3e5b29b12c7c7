using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdeGpu.Neural.Optimizers;

namespace OdeGpu.Neural.Checkpoints;

/// <summary>
/// The files of a training checkpoint directory (model.safetensors, model.json, optimizer.safetensors,
/// training.json), read with errors that name the file and the fault, and written atomically.
/// </summary>
public static class CheckpointFiles
{
    private const string Holds = "a checkpoint holds model.safetensors, model.json, optimizer.safetensors and training.json";

    /// <summary>"float32" or "float64", as model.json names the scalar.</summary>
    public static string Precision<T>() where T : unmanaged, IFloatingPointIeee754<T> => typeof(T) == typeof(double) ? "float64" : "float32";

    /// <summary>Reads a JSON object.</summary>
    /// <exception cref="InvalidDataException">The file is missing or not a JSON object.</exception>
    public static JsonObject ReadJson(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"'{path}' is missing: {Holds}");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"'{path}' is not a JSON object");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a readable checkpoint file: {e.Message}", e);
        }
    }

    /// <summary>Writes a JSON object, indented.</summary>
    public static void WriteJson(string path, JsonObject value) =>
        AtomicWrite.To(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(value.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))));

    /// <summary>Reads a safetensors file.</summary>
    /// <exception cref="InvalidDataException">The file is missing or corrupt.</exception>
    public static (IReadOnlyList<Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadTensors(string path) =>
        File.Exists(path) ? SafeTensors.Read(path) : throw new InvalidDataException($"'{path}' is missing: {Holds}");

    /// <summary>Writes an optimizer's state buffers under PyTorch's names, its kind, steps and learning rate in the metadata.</summary>
    public static void WriteOptimizer<T>(string path, Optimizer<T> optimizer, string kind) where T : unmanaged, IFloatingPointIeee754<T> =>
        SafeTensors.Write(path,
            [.. optimizer.State.Select(s => new Tensor(s.Name, [optimizer.Count], [.. optimizer.Device.Download(s.View).Select(double.CreateTruncating)], typeof(T) == typeof(double)))],
            new Dictionary<string, string>
            {
                ["optimizer"] = kind, ["steps"] = optimizer.Steps.ToString(CultureInfo.InvariantCulture), ["lr"] = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            });
}
