using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using OdeGpu.Neural;
using OdeGpu.Neural.Checkpoints;

namespace OdeGpu.Tests.Training;

/// <summary>
/// safetensors files: the byte layout the format specifies (an 8-byte little-endian header length, a JSON header
/// padded to 8 bytes with each tensor's dtype, shape and data offsets, then little-endian data), F32 and F64 round trips
/// with metadata, atomic writes, every corruption refused with the file and the fault named; an MLP's parameters as
/// PyTorch's state dict and back, a missing, extra or misshapen tensor refused.
/// </summary>
public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_bytes_are_the_formats()
    {
        var path = Path.Combine(_directory, "a.safetensors");

        SafeTensors.Write(path, [new Tensor("w", [2, 2], [1, 2, 3, 4], Double: false), new Tensor("b", [3], [0.5, -1, 2], Double: true)]);

        var bytes = File.ReadAllBytes(path);
        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, length % 8);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)length).TrimEnd(' '));
        var w = header.RootElement.GetProperty("w");
        Assert.Equal("F32", w.GetProperty("dtype").GetString());
        Assert.Equal([2, 2], w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal([0L, 16L], w.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal([16L, 40L], header.RootElement.GetProperty("b").GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(3f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)length + 8)));
        Assert.Equal(-1.0, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 + (int)length + 16 + 8)));
        Assert.Equal(8 + length + 40, bytes.Length);
    }

    [Fact]
    public void Tensors_and_metadata_come_back_as_written_and_no_temporary_file_stays()
    {
        var path = Path.Combine(_directory, "b.safetensors");
        File.WriteAllText(path, "an older file");
        Tensor[] tensors = [new("x", [], [Math.PI], Double: true), new("y", [1, 3], [0.1f, 0.2f, 0.3f], Double: false)];

        SafeTensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var (read, metadata) = SafeTensors.Read(path);

        Assert.Equal(["x", "y"], read.Select(t => t.Name));
        Assert.Equal(Math.PI, read[0].Values[0]);
        Assert.Equal([(double)0.1f, (double)0.2f, (double)0.3f], read[1].Values);
        Assert.Equal([1, 3], read[1].Shape);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData("short", "fewer than the 8 of the header's length")]
    [InlineData("length", "the header's length")]
    [InlineData("json", "the header is not valid JSON")]
    [InlineData("offsets", "needs 8 bytes, but its data_offsets are [0, 4]")]
    [InlineData("dtype", "has dtype I64")]
    [InlineData("trailing", "the tensors cover 8 bytes of data, but the file holds 12")]
    public void A_corrupt_file_is_refused_naming_the_file_and_the_fault(string corruption, string fault)
    {
        var path = Path.Combine(_directory, "c.safetensors");
        var header = corruption switch
        {
            "offsets" => """{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""",
            "dtype" => """{"t":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""",
            "json" => """{"t":{"dtype":""",
            _ => """{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""",
        };
        var json = Encoding.UTF8.GetBytes(header);
        var length = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, corruption == "length" ? 1 << 20 : json.Length);
        byte[] file = corruption switch
        {
            "short" => [1, 2, 3],
            "trailing" => [.. length, .. json, .. new byte[12]],
            _ => [.. length, .. json, .. new byte[8]],
        };
        File.WriteAllBytes(path, file);

        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(fault, error.Message);
    }

    [Fact]
    public void An_mlp_is_saved_under_pytorchs_names_and_shapes_and_loads_back()
    {
        var path = Path.Combine(_directory, "model.safetensors");
        int[] widths = [2, 50, 2];
        var theta = MlpDynamics<float, Tanh>.InitialParameters(widths, seed: 4);

        SafeTensors.Write(path, MlpStateDict.ToTensors(widths, MlpLayer.Linear, theta));
        var (tensors, _) = SafeTensors.Read(path);

        Assert.Equal(["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"], tensors.Select(t => t.Name));
        Assert.Equal([[50, 2], [50], [2, 50], [2]], tensors.Select(t => t.Shape));
        Assert.All(tensors, t => Assert.False(t.Double));
        Assert.Equal(theta, MlpStateDict.FromTensors<float>(tensors, widths, MlpLayer.Linear, path));
    }

    [Fact]
    public void A_state_dict_of_another_network_is_refused_naming_what_differs()
    {
        var tensors = MlpStateDict.ToTensors([2, 50, 2], MlpLayer.Linear, MlpDynamics<double, Tanh>.InitialParameters([2, 50, 2], seed: 1));

        var missing = Assert.Throws<InvalidDataException>(() => MlpStateDict.FromTensors<double>(tensors, [2, 50, 2], MlpLayer.ConcatSquash, "m.safetensors"));
        var shape = Assert.Throws<InvalidDataException>(() => MlpStateDict.FromTensors<double>(tensors, [2, 40, 2], MlpLayer.Linear, "m.safetensors"));

        Assert.Contains("missing layers.0._layer.weight", missing.Message);
        Assert.Contains("unexpected net.0.weight", missing.Message);
        Assert.Contains("'m.safetensors': tensor 'net.0.weight' has shape [50, 2], but the MLP needs [40, 2]", shape.Message);
    }
}
