using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdeGpu.Neural.Checkpoints;

namespace OdeGpu.Neural.Training;

/// <summary>
/// A checkpoint of <see cref="SpiralFit{T}"/> as a directory: model.safetensors (the weights under the demo's names),
/// model.json (the architecture), optimizer.safetensors (RMSprop's state under PyTorch's names, its steps and rate in
/// the metadata) and training.json (iterations done, the seed: with them the batches' random state). Every file is
/// written atomically; loading names the file and the fault when one is missing, corrupt or of another network.
/// </summary>
public static class SpiralCheckpoint
{
    /// <summary>Writes the checkpoint of <paramref name="fit"/> into <paramref name="directory"/>.</summary>
    public static void Save<T>(string directory, SpiralFit<T> fit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Directory.CreateDirectory(directory);
        SafeTensors.Write(Path.Combine(directory, "model.safetensors"), MlpStateDict.ToTensors(SpiralFit<T>.Widths, MlpLayer.Linear, fit.Parameters),
            new Dictionary<string, string> { ["format"] = "pt" });
        CheckpointFiles.WriteOptimizer(Path.Combine(directory, "optimizer.safetensors"), fit.Optimizer, "rmsprop");
        CheckpointFiles.WriteJson(Path.Combine(directory, "model.json"), new JsonObject
        {
            ["model"] = "mlp", ["widths"] = new JsonArray([.. SpiralFit<T>.Widths.Select(w => (JsonNode?)w)]), ["layer"] = "linear", ["activation"] = "tanh",
            ["input"] = "cube", ["precision"] = CheckpointFiles.Precision<T>(),
        });
        CheckpointFiles.WriteJson(Path.Combine(directory, "training.json"), new JsonObject
        {
            ["iteration"] = fit.Iteration, ["seed"] = fit.Seed, ["random"] = "iteration k draws its batch from System.Random(seed * 1000003 + k)",
        });
    }

    /// <summary>Reads a checkpoint into <paramref name="fit"/>, which must have been built with the checkpoint's seed; returns the iterations done.</summary>
    /// <exception cref="InvalidDataException">A file is missing, corrupt, or of another network, precision or seed.</exception>
    public static int Load<T>(string directory, SpiralFit<T> fit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = CheckpointFiles.ReadJson(Path.Combine(directory, "model.json"));
        if (model["precision"]?.GetValue<string>() != CheckpointFiles.Precision<T>())
            throw new InvalidDataException($"'{Path.Combine(directory, "model.json")}' is a {model["precision"]} model, but this run is {CheckpointFiles.Precision<T>()}");
        var training = CheckpointFiles.ReadJson(Path.Combine(directory, "training.json"));
        var (iteration, seed) = (training["iteration"]?.GetValue<int>() ?? -1, training["seed"]?.GetValue<int>());
        if (iteration < 0 || seed != fit.Seed)
            throw new InvalidDataException($"'{Path.Combine(directory, "training.json")}' holds iteration {iteration} and seed {seed}; resuming needs an iteration and the run's seed, {fit.Seed}");
        var modelPath = Path.Combine(directory, "model.safetensors");
        var parameters = MlpStateDict.FromTensors<T>(CheckpointFiles.ReadTensors(modelPath).Tensors, SpiralFit<T>.Widths, MlpLayer.Linear, modelPath);
        var optimizerPath = Path.Combine(directory, "optimizer.safetensors");
        var (tensors, metadata) = CheckpointFiles.ReadTensors(optimizerPath);
        if (!metadata.TryGetValue("steps", out var steps) || int.Parse(steps, CultureInfo.InvariantCulture) != iteration)
            throw new InvalidDataException($"'{optimizerPath}' has taken {(steps ?? "no")} steps, but training.json has done {iteration} iterations");
        try
        {
            fit.Restore(iteration, parameters, tensors.ToDictionary(t => t.Name, t => t.Values.Select(T.CreateTruncating).ToArray()));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{optimizerPath}' does not fit RMSprop over {fit.Optimizer.Count} parameters: {e.Message}", e);
        }
        return iteration;
    }
}
