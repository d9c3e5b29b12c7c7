namespace OdeGpu.Cli;

/// <summary>
/// A progress bar on standard error for solves that run longer than two seconds: redrawn in place on a terminal,
/// a plain line every five seconds otherwise (CI logs, pipes).
/// </summary>
internal sealed class ConsoleProgress(TextWriter error, bool interactive) : IProgress<SolveProgress>
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private TimeSpan? _lastDrawn;
    private bool _drawn;

    /// <summary>Draws the bar if the solve has run long enough and the last drawing is old enough.</summary>
    public void Report(SolveProgress value)
    {
        if (value.Elapsed < Delay)
            return;
        var interval = interactive ? TimeSpan.FromMilliseconds(100) : PlainInterval;
        if (_lastDrawn is { } last && value.Elapsed - last < interval)
            return;
        _lastDrawn = value.Elapsed;
        _drawn = true;
        const int width = 30;
        var filled = (int)Math.Round(value.Fraction * width);
        var text = $"[{new string('#', filled)}{new string('.', width - filled)}] {value.Fraction * 100,3:F0}%  steps {value.Steps}  running {value.RunningRows}  {value.Elapsed:m\\:ss}";
        if (interactive)
            error.Write("\r" + text);
        else
            error.WriteLine(text);
    }

    /// <summary>Ends the bar's line if one was drawn.</summary>
    public void Finish()
    {
        if (_drawn && interactive)
            error.WriteLine();
    }
}
