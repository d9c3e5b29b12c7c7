using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdeGpu.Neural.Checkpoints;

/// <summary>
/// The safetensors format (Hugging Face's, which the Python <c>safetensors</c> package and PyTorch read): an 8-byte
/// little-endian header length, a JSON header naming each tensor's dtype, shape and byte range, then the little-endian
/// data. Written atomically (a temporary file renamed over the target); read with every inconsistency reported by
/// file and tensor.
/// </summary>
public static class SafeTensors
{
    // The largest header the format's reference reader accepts.
    private const long MaxHeader = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> (names unique) and string <paramref name="metadata"/> to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="ArgumentException">A name repeats, or a tensor's values do not fill its shape.</exception>
    public static void Write(string path, IReadOnlyList<Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value))));
        long offset = 0;
        foreach (var tensor in tensors)
        {
            if (header.ContainsKey(tensor.Name))
                throw new ArgumentException($"tensors must have unique names, but '{tensor.Name}' repeats", nameof(tensors));
            if (tensor.Values.Length != tensor.Count)
                throw new ArgumentException($"tensor '{tensor.Name}' of shape [{string.Join(", ", tensor.Shape)}] needs {tensor.Count} values, but has {tensor.Values.Length}", nameof(tensors));
            var bytes = tensor.Count * (tensor.Double ? 8 : 4);
            header[tensor.Name] = new JsonObject
            {
                ["dtype"] = tensor.Double ? "F64" : "F32",
                ["shape"] = new JsonArray([.. tensor.Shape.Select(d => (JsonNode?)JsonValue.Create(d))]),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes)),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // padded with spaces to a multiple of 8, so that the data is aligned as the format recommends
        var padded = (json.Length + 7) / 8 * 8;
        AtomicWrite.To(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, padded);
            stream.Write(length);
            stream.Write(json);
            stream.Write(Enumerable.Repeat((byte)' ', padded - json.Length).ToArray());
            foreach (var tensor in tensors)
                stream.Write(Bytes(tensor));
        });
    }

    /// <summary>Reads every tensor of <paramref name="path"/>, in the order of their data, and the header's metadata.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed safetensors file; the message names the file and the fault.</exception>
    public static (IReadOnlyList<Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        var file = File.ReadAllBytes(path);
        if (file.Length < 8)
            throw Corrupt(path, $"it has {file.Length} bytes, fewer than the 8 of the header's length");
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
        if (headerLength < 2 || headerLength > MaxHeader || 8 + headerLength > file.Length)
            throw Corrupt(path, $"the header's length, {headerLength}, does not fit the file's {file.Length} bytes");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.AsSpan(8, (int)headerLength))?.AsObject() ?? throw Corrupt(path, "the header is not a JSON object");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Corrupt(path, $"the header is not valid JSON ({e.Message})");
        }
        var data = file.AsMemory(8 + (int)headerLength);
        var metadata = new Dictionary<string, string>();
        var tensors = new List<(long Begin, Tensor Tensor)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (key, value) in node?.AsObject() ?? [])
                    metadata[key] = value?.GetValue<string>() ?? "";
                continue;
            }
            tensors.Add(ReadTensor(path, name, node, data.Span));
        }
        var ordered = tensors.OrderBy(t => t.Begin).ToList();
        var expected = 0L;
        foreach (var (begin, tensor) in ordered)
        {
            if (begin != expected)
                throw Corrupt(path, $"tensor '{tensor.Name}' starts at byte {begin} of the data, where {expected} was expected (a gap or an overlap)");
            expected = begin + tensor.Count * (tensor.Double ? 8 : 4);
        }
        if (expected != data.Length)
            throw Corrupt(path, $"the tensors cover {expected} bytes of data, but the file holds {data.Length}");
        return ([.. ordered.Select(t => t.Tensor)], metadata);
    }

    private static (long Begin, Tensor Tensor) ReadTensor(string path, string name, JsonNode? node, ReadOnlySpan<byte> data)
    {
        try
        {
            var entry = node!.AsObject();
            var dtype = entry["dtype"]!.GetValue<string>();
            if (dtype is not ("F32" or "F64"))
                throw Corrupt(path, $"tensor '{name}' has dtype {dtype}; F32 and F64 are read");
            var shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
            var offsets = entry["data_offsets"]!.AsArray().Select(o => o!.GetValue<long>()).ToArray();
            var size = dtype == "F64" ? 8 : 4;
            var count = shape.Aggregate(1L, (n, d) => d < 0 ? throw Corrupt(path, $"tensor '{name}' has a negative dimension") : n * d);
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > data.Length || offsets[1] - offsets[0] != count * size)
                throw Corrupt(path, $"tensor '{name}' of shape [{string.Join(", ", shape)}] ({dtype}) needs {count * size} bytes, but its data_offsets are [{string.Join(", ", offsets)}] in {data.Length} bytes of data");
            var bytes = data.Slice((int)offsets[0], (int)(count * size));
            var values = new double[count];
            for (var i = 0; i < count; i++)
                values[i] = size == 8 ? BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]) : BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
            return (offsets[0], new Tensor(name, shape, values, size == 8));
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or JsonException)
        {
            throw Corrupt(path, $"tensor '{name}' lacks a dtype, shape or data_offsets of the right kinds ({e.Message})");
        }
    }

    private static byte[] Bytes(Tensor tensor)
    {
        var size = tensor.Double ? 8 : 4;
        var bytes = new byte[tensor.Values.Length * size];
        for (var i = 0; i < tensor.Values.Length; i++)
        {
            if (tensor.Double)
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), tensor.Values[i]);
            else
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), (float)tensor.Values[i]);
        }
        return bytes;
    }

    private static InvalidDataException Corrupt(string path, string fault) => new($"'{path}' is not a readable safetensors file: {fault}");
}
