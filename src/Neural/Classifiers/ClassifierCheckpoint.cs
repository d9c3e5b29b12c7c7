using System.Globalization;
using System.Text.Json.Nodes;
using OdeGpu.Neural.Checkpoints;

namespace OdeGpu.Neural.Classifiers;

/// <summary>
/// A checkpoint of <see cref="ClassifierFit"/> as a directory, in the format of the spiral's and the flow's:
/// model.safetensors (every parameter under odenet_mnist's state-dict names, float32, so PyTorch's load_state_dict reads
/// it), model.json (the model, its width, the ResNet's blocks and the ODE block's tolerance), optimizer.safetensors (SGD's momentum over the
/// flat parameters, its steps and rate in the metadata) and training.json (<see cref="ClassifierTraining"/>: the data,
/// epochs done of how many, the batch, rate, augmentation and seed). Every file is written atomically; loading names the
/// file and the fault when one is missing, corrupt or of another model.
/// </summary>
public static class ClassifierCheckpoint
{
    /// <summary>Writes the checkpoint of <paramref name="fit"/>, trained on the data set <paramref name="data"/>, into <paramref name="directory"/>.</summary>
    public static void Save(string directory, ClassifierFit fit, string data)
    {
        Directory.CreateDirectory(directory);
        var a = fit.Model.Architecture;
        var parameters = fit.Optimizer.Device.Download(fit.Model.Parameters).Select(p => (double)p).ToArray();
        SafeTensors.Write(Path.Combine(directory, "model.safetensors"),
            [.. a.Tensors.Select(t => new Tensor(t.Name, t.Shape, parameters[t.Offset..(t.Offset + t.Shape.Aggregate(1, (n, d) => n * d))], false))],
            new Dictionary<string, string> { ["format"] = "pt" });
        CheckpointFiles.WriteOptimizer(Path.Combine(directory, "optimizer.safetensors"), fit.Optimizer, "sgd");
        CheckpointFiles.WriteJson(Path.Combine(directory, "model.json"), new JsonObject
        {
            ["model"] = a.Kind.ToString().ToLowerInvariant(), ["width"] = a.Width, ["blocks"] = a.Blocks, ["tolerance"] = a.Tolerance, ["precision"] = "float32",
        });
        CheckpointFiles.WriteJson(Path.Combine(directory, "training.json"), new JsonObject
        {
            ["epoch"] = fit.Completed, ["epochs"] = fit.Epochs, ["seed"] = fit.Seed, ["batch"] = fit.Model.Rows, ["lr"] = fit.InitialLearningRate, ["augment"] = fit.Augment,
            ["data"] = data, ["train_size"] = fit.TrainingImages, ["test_size"] = fit.TestImages,
        });
    }

    /// <summary>Reads how a checkpoint's fit was set up and how far it got (its training.json).</summary>
    /// <exception cref="InvalidDataException">The file is missing or corrupt, or lacks a setting.</exception>
    public static ClassifierTraining Training(string directory)
    {
        var path = Path.Combine(directory, "training.json");
        var training = CheckpointFiles.ReadJson(path);
        try
        {
            return new ClassifierTraining(training["data"]!.GetValue<string>(), training["train_size"]!.GetValue<int>(), training["test_size"]!.GetValue<int>(),
                training["epoch"]!.GetValue<int>(), training["epochs"]!.GetValue<int>(), training["batch"]!.GetValue<int>(), training["lr"]!.GetValue<double>(),
                training["augment"]!.GetValue<bool>(), training["seed"]!.GetValue<int>());
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}' does not describe a classifier's training: {e.Message}", e);
        }
    }

    /// <summary>
    /// Continues <paramref name="fit"/>, set up as the checkpoint's (<see cref="Training"/>), from the checkpoint in
    /// <paramref name="directory"/>: its parameters, momentum and epochs (<see cref="ClassifierFit.Restore"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">A file is missing or corrupt, or of another model or optimizer.</exception>
    public static void Restore(string directory, ClassifierFit fit)
    {
        var (architecture, parameters) = Load(directory);
        if (architecture != fit.Model.Architecture)
            throw new InvalidDataException($"'{Path.Combine(directory, "model.json")}' is a {architecture}, but the fit trains a {fit.Model.Architecture}");
        var completed = Training(directory).Completed;
        var optimizerPath = Path.Combine(directory, "optimizer.safetensors");
        var (tensors, metadata) = CheckpointFiles.ReadTensors(optimizerPath);
        if (!metadata.TryGetValue("steps", out var steps) || int.Parse(steps, CultureInfo.InvariantCulture) != completed * fit.BatchesPerEpoch)
            throw new InvalidDataException($"'{optimizerPath}' has taken {steps ?? "no"} steps, but training.json has done {completed} epochs of {fit.BatchesPerEpoch} batches");
        try
        {
            fit.Restore(completed, parameters, completed * fit.BatchesPerEpoch, tensors.ToDictionary(t => t.Name, t => t.Values.Select(v => (float)v).ToArray()));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{optimizerPath}' does not fit SGD over {fit.Optimizer.Count} parameters: {e.Message}", e);
        }
    }

    /// <summary>Reads a checkpoint's model: its architecture and parameters.</summary>
    /// <exception cref="InvalidDataException">A file is missing or corrupt, or describes no classifier.</exception>
    public static (ClassifierArchitecture Architecture, float[] Parameters) Load(string directory)
    {
        var architecture = Architecture(directory);
        try
        {
            var weights = Path.Combine(directory, "model.safetensors");
            var tensors = CheckpointFiles.ReadTensors(weights).Tensors.ToDictionary(t => t.Name);
            var parameters = new float[architecture.ParameterCount];
            foreach (var (name, offset, shape) in architecture.Tensors)
            {
                if (!tensors.TryGetValue(name, out var tensor) || !tensor.Shape.SequenceEqual(shape))
                    throw new InvalidDataException($"'{weights}' has no tensor '{name}' of shape [{string.Join(", ", shape)}], which model.json's {architecture.Kind} needs");
                for (var k = 0; k < tensor.Values.Length; k++)
                    parameters[offset + k] = (float)tensor.Values[k];
            }
            return (architecture, parameters);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"'{Path.Combine(directory, "model.json")}' does not describe a classifier: {e.Message}", e);
        }
    }

    /// <summary>Reads a checkpoint's architecture alone (its model.json).</summary>
    /// <exception cref="InvalidDataException">The file is missing or corrupt, or describes no classifier.</exception>
    public static ClassifierArchitecture Architecture(string directory)
    {
        var path = Path.Combine(directory, "model.json");
        var model = CheckpointFiles.ReadJson(path);
        try
        {
            return new ClassifierArchitecture(Enum.Parse<ClassifierKind>(model["model"]!.GetValue<string>(), ignoreCase: true), model["width"]!.GetValue<int>(),
                model["tolerance"]!.GetValue<double>(), model["blocks"]?.GetValue<int>() ?? ClassifierArchitecture.PaperBlocks);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"'{path}' does not describe a classifier: {e.Message}", e);
        }
    }
}
