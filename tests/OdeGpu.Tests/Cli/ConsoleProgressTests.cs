using OdeGpu.Cli;

namespace OdeGpu.Tests.Cli;

public sealed class ConsoleProgressTests
{
    [Fact]
    public void Nothing_is_drawn_for_the_first_two_seconds()
    {
        var error = new StringWriter();
        var progress = new ConsoleProgress(error, interactive: false);

        progress.Report(new SolveProgress(0.5, 10, 3, TimeSpan.FromSeconds(1.9)));
        progress.Finish();

        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Without_a_terminal_a_plain_line_is_written_every_five_seconds()
    {
        var error = new StringWriter();
        var progress = new ConsoleProgress(error, interactive: false);

        foreach (var seconds in new[] { 2.5, 3.0, 7.0, 7.6 })
            progress.Report(new SolveProgress(seconds / 10, (int)seconds, 4, TimeSpan.FromSeconds(seconds)));

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("[########......................]  25%", lines[0]);
        Assert.Contains("running 4", lines[1]);
        Assert.DoesNotContain('\r', error.ToString());
    }

    [Fact]
    public void On_a_terminal_the_bar_is_redrawn_in_place_and_ended_with_a_newline()
    {
        var error = new StringWriter();
        var progress = new ConsoleProgress(error, interactive: true);

        progress.Report(new SolveProgress(0.4, 5, 2, TimeSpan.FromSeconds(3)));
        progress.Report(new SolveProgress(1.0, 9, 0, TimeSpan.FromSeconds(4)));
        progress.Finish();

        var text = error.ToString();
        Assert.Equal(2, text.Count(c => c == '\r'));
        Assert.EndsWith(Environment.NewLine, text);
        Assert.Contains("100%", text);
    }
}
