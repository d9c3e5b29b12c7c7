using System.Globalization;

namespace OdeGpu.Cli.Commands;

/// <summary>
/// A training command's progress line on standard error: a bar, the iteration, what the command reports and the time
/// since the start; redrawn in place at most five times a second on a terminal, else a new line every five seconds.
/// </summary>
internal sealed class TrainingProgress(int iterations, TextWriter error, bool interactive)
{
    private const int Width = 30;
    private readonly DateTime _started = DateTime.UtcNow;
    private DateTime _lastDrawn = DateTime.MinValue;

    /// <summary>Draws iteration <paramref name="iteration"/> with <paramref name="details"/>, unless one was drawn too recently.</summary>
    public void Report(int iteration, string details)
    {
        if (DateTime.UtcNow - _lastDrawn <= TimeSpan.FromSeconds(interactive ? 0.2 : 5))
            return;
        _lastDrawn = DateTime.UtcNow;
        var filled = (int)Math.Round((double)iteration / iterations * Width);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', Width - filled)}] {iteration}/{iterations}  {details}  {DateTime.UtcNow - _started:m\\:ss}");
        if (interactive)
            error.Write("\r" + text);
        else
            error.WriteLine(text);
    }

    /// <summary>Ends the line drawn in place, if any.</summary>
    public void Finish()
    {
        if (interactive && _lastDrawn != DateTime.MinValue)
            error.WriteLine();
    }
}
