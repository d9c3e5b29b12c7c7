using System.Buffers.Binary;
using System.IO.Compression;

namespace OdeGpu.Neural.Data;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (LeCun's): a big-endian header (two zero bytes, the element type, the
/// number of dimensions, each dimension's size) and the elements; gzipped or not. Images are unsigned bytes
/// [count x rows x columns] (type 0x08, 3 dimensions), labels unsigned bytes [count].
/// </summary>
public static class IdxFile
{
    /// <summary>The Debian package dataset-fashion-mnist's directory.</summary>
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Reads images and their labels; pixels are scaled from bytes to [0, 1].</summary>
    /// <exception cref="InvalidDataException">A file is missing, not IDX of unsigned bytes, or the counts differ; the message names the file.</exception>
    public static LabelledImages Read(string images, string labels)
    {
        var (imageShape, pixels) = ReadArray(images);
        if (imageShape.Length != 3)
            throw new InvalidDataException($"'{images}' holds a {imageShape.Length}-dimensional array, but images are 3-dimensional (count, rows, columns)");
        var (labelShape, classes) = ReadArray(labels);
        if (labelShape.Length != 1)
            throw new InvalidDataException($"'{labels}' holds a {labelShape.Length}-dimensional array, but labels are 1-dimensional (count)");
        if (labelShape[0] != imageShape[0])
            throw new InvalidDataException($"'{labels}' holds {labelShape[0]} labels, but '{images}' holds {imageShape[0]} images");
        return new LabelledImages([.. pixels.Select(p => p / 255f)], classes, imageShape[1], imageShape[2]);
    }

    /// <summary>Fashion-MNIST's training set (60,000 images) and test set (10,000) from <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The files are missing (the message says how to install them) or corrupt.</exception>
    public static (LabelledImages Train, LabelledImages Test) FashionMnist(string directory = FashionMnistDirectory)
    {
        if (!File.Exists(Path.Combine(directory, "train-images-idx3-ubyte.gz")))
            throw new InvalidDataException(
                $"Fashion-MNIST is not in '{directory}': install Debian's package with 'apt-get install dataset-fashion-mnist' (it puts the IDX files in {FashionMnistDirectory}), or name a directory that holds them");
        LabelledImages Set(string prefix) =>
            Read(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"));
        return (Set("train"), Set("t10k"));
    }

    // The header's shape and the unsigned bytes after it.
    private static (int[] Shape, byte[] Data) ReadArray(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"'{path}' is missing");
        var bytes = File.ReadAllBytes(path);
        if (bytes is [0x1f, 0x8b, ..])
        {
            using var unzipped = new MemoryStream();
            using (var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
                gzip.CopyTo(unzipped);
            bytes = unzipped.ToArray();
        }
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] is 0 or > 4)
            throw new InvalidDataException($"'{path}' is not an IDX file of unsigned bytes (its header must start 00 00 08 and a dimension count of 1 to 4)");
        var shape = new int[bytes[3]];
        var header = 4 + 4 * shape.Length;
        if (bytes.Length < header)
            throw new InvalidDataException($"'{path}' ends inside its header");
        for (var k = 0; k < shape.Length; k++)
            shape[k] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * k));
        var count = shape.Aggregate(1L, (n, d) => n * d);
        if (shape.Any(d => d < 1) || bytes.Length - header != count)
            throw new InvalidDataException($"'{path}' declares [{string.Join(" x ", shape)}] = {count} elements, but holds {bytes.Length - header}");
        return (shape, bytes[header..]);
    }
}
