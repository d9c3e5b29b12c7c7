using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using OdeGpu.Neural;
using OdeGpu.Neural.Checkpoints;

namespace OdeGpu.Flows.Training;

/// <summary>
/// A checkpoint of <see cref="FlowFit{T}"/> as a directory, in the format of the spiral's: model.safetensors (every
/// parameter under FFJORD's state-dict names, sqrt(T) a scalar), model.json (the flow's architecture, precision, toy
/// density and tolerance), optimizer.safetensors (Adam's state over the flat parameters, its steps and rate in the
/// metadata) and training.json (iterations done and the seed: with them the batches' random state). Every file is
/// written atomically; loading names the file and the fault when one is missing, corrupt or of another flow.
/// </summary>
public static class FlowCheckpoint
{
    /// <summary>Writes the checkpoint of <paramref name="fit"/> into <paramref name="directory"/>.</summary>
    public static void Save<T>(string directory, FlowFit<T> fit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Directory.CreateDirectory(directory);
        var parameters = fit.Parameters.Select(double.CreateTruncating).ToArray();
        var isDouble = typeof(T) == typeof(double);
        SafeTensors.Write(Path.Combine(directory, "model.safetensors"),
            [.. fit.Architecture.ParameterNames().Select(p => new Tensor(p.Name, p.Shape, parameters[p.Offset..(p.Offset + p.Shape.Aggregate(1, (n, d) => n * d))], isDouble))],
            new Dictionary<string, string> { ["format"] = "pt" });
        CheckpointFiles.WriteOptimizer(Path.Combine(directory, "optimizer.safetensors"), fit.Optimizer, "adam");
        var a = fit.Architecture;
        CheckpointFiles.WriteJson(Path.Combine(directory, "model.json"), new JsonObject
        {
            ["model"] = "cnf", ["dimension"] = a.Dimension, ["hidden"] = new JsonArray([.. a.Widths[1..^1].Select(w => (JsonNode?)w)]),
            ["layer"] = a.Layer.ToString().ToLowerInvariant(), ["activation"] = a.Activation, ["blocks"] = a.Blocks, ["end_time"] = a.EndTime,
            ["train_end_time"] = a.TrainEndTime, ["trace"] = a.Trace.ToString().ToLowerInvariant(), ["kinetic"] = a.Kinetic, ["frobenius"] = a.Frobenius,
            ["precision"] = CheckpointFiles.Precision<T>(), ["data"] = fit.Data, ["tolerance"] = fit.Tolerance,
        });
        CheckpointFiles.WriteJson(Path.Combine(directory, "training.json"), new JsonObject
        {
            ["iteration"] = fit.Iteration, ["seed"] = fit.Seed, ["random"] = "iteration k draws its batch and noise from System.Random(seed * 1000003 + k)",
        });
    }

    /// <summary>Reads a checkpoint's model: its architecture, parameters (as doubles), precision, toy density and tolerance.</summary>
    /// <exception cref="InvalidDataException">A file is missing or corrupt.</exception>
    public static FlowModel LoadModel(string directory)
    {
        var path = Path.Combine(directory, "model.json");
        var model = CheckpointFiles.ReadJson(path);
        try
        {
            var architecture = new FlowArchitecture(
                model["dimension"]!.GetValue<int>(), [.. model["hidden"]!.AsArray().Select(w => w!.GetValue<int>())],
                Enum.Parse<MlpLayer>(model["layer"]!.GetValue<string>(), ignoreCase: true), model["activation"]!.GetValue<string>(), model["blocks"]!.GetValue<int>(),
                model["end_time"]!.GetValue<double>(), model["train_end_time"]!.GetValue<bool>(),
                Enum.Parse<TraceEstimator>(model["trace"]!.GetValue<string>(), ignoreCase: true), model["kinetic"]!.GetValue<double>(),
                model["frobenius"]!.GetValue<double>()).Validated();
            var precision = model["precision"]!.GetValue<string>();
            if (precision is not ("float32" or "float64"))
                throw new InvalidDataException($"'{path}' has precision '{precision}', which is neither float32 nor float64");
            var weights = Path.Combine(directory, "model.safetensors");
            var tensors = CheckpointFiles.ReadTensors(weights).Tensors.ToDictionary(t => t.Name);
            var parameters = new double[architecture.ParameterCount];
            foreach (var (name, offset, shape) in architecture.ParameterNames())
            {
                if (!tensors.TryGetValue(name, out var tensor) || !tensor.Shape.SequenceEqual(shape))
                    throw new InvalidDataException($"'{weights}' has no tensor '{name}' of shape [{string.Join(", ", shape)}], which model.json's flow needs");
                tensor.Values.CopyTo(parameters, offset);
            }
            return new FlowModel(architecture, parameters, precision, model["data"]!.GetValue<string>(), model["tolerance"]!.GetValue<double>());
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"'{path}' does not describe a flow: {e.Message}", e);
        }
    }

    /// <summary>Reads a checkpoint into <paramref name="fit"/>, which must have been built with its flow, precision and seed; returns the iterations done.</summary>
    /// <exception cref="InvalidDataException">A file is missing, corrupt, or of another flow, precision or seed.</exception>
    public static int Load<T>(string directory, FlowFit<T> fit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = LoadModel(directory);
        if (model.Precision != CheckpointFiles.Precision<T>() || model.Architecture.ParameterCount != fit.Architecture.ParameterCount || model.Data != fit.Data)
            throw new InvalidDataException($"'{directory}' holds a {model.Precision} flow of {model.Architecture.ParameterCount} parameters on {model.Data}, but this run trains a {CheckpointFiles.Precision<T>()} flow of {fit.Architecture.ParameterCount} on {fit.Data}");
        var training = CheckpointFiles.ReadJson(Path.Combine(directory, "training.json"));
        var (iteration, seed) = (training["iteration"]?.GetValue<int>() ?? -1, training["seed"]?.GetValue<int>());
        if (iteration < 0 || seed != fit.Seed)
            throw new InvalidDataException($"'{Path.Combine(directory, "training.json")}' holds iteration {iteration} and seed {seed}; resuming needs an iteration and the run's seed, {fit.Seed}");
        var optimizerPath = Path.Combine(directory, "optimizer.safetensors");
        var (tensors, metadata) = CheckpointFiles.ReadTensors(optimizerPath);
        if (!metadata.TryGetValue("steps", out var steps) || int.Parse(steps, CultureInfo.InvariantCulture) > iteration)
            throw new InvalidDataException($"'{optimizerPath}' has taken {(steps ?? "no")} steps, more than training.json's {iteration} iterations");
        try
        {
            fit.Restore(iteration, [.. model.Parameters.Select(T.CreateTruncating)], int.Parse(steps, CultureInfo.InvariantCulture),
                tensors.ToDictionary(t => t.Name, t => t.Values.Select(T.CreateTruncating).ToArray()));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{optimizerPath}' does not fit Adam over {fit.Optimizer.Count} parameters: {e.Message}", e);
        }
        return iteration;
    }
}
