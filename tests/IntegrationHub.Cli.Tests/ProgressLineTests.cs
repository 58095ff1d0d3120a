using IntegrationHub.Core.Tests.Support;
namespace IntegrationHub.Cli.Tests;

/// <summary>The progress line: drawn in place on a terminal, nothing at all when standard error is redirected.</summary>
public class ProgressLineTests
{
    private const string Rewind = "\r\u001b[K";

    [Fact]
    public void OnATerminal_EachStepRewritesTheLineAndTheEndClearsIt()
    {
        var terminal = new StringWriter();
        using (var progress = new ProgressLine(terminal, isTerminal: true, "pushing"))
        {
            progress.Step(1, 3, "a.json");
            progress.Step(2, 3, "b.json");
        }

        Assert.Equal($"{Rewind}pushing 1/3 a.json{Rewind}pushing 2/3 b.json{Rewind}", terminal.ToString());
    }

    [Fact]
    public void OnATerminal_ACountWithoutTotal_RewritesTheLine_RedirectedNothing()
    {
        var terminal = new StringWriter();
        var file = new StringWriter();
        using (var progress = new ProgressLine(terminal, isTerminal: true, "redeliver to carbon-market-desk: sent"))
        using (var silent = new ProgressLine(file, isTerminal: false, "redeliver to carbon-market-desk: sent"))
        {
            progress.Count(200);
            progress.Count(250);
            silent.Count(200);
        }

        Assert.Equal($"{Rewind}redeliver to carbon-market-desk: sent 200{Rewind}redeliver to carbon-market-desk: sent 250{Rewind}", terminal.ToString());
        Assert.Equal("", file.ToString());
    }

    [Fact]
    public void Redirected_WritesNothing()
    {
        var file = new StringWriter();
        using (var progress = new ProgressLine(file, isTerminal: false, "pushing"))
        {
            progress.Step(1, 3, "a.json");
            progress.Waiting(TimeSpan.FromSeconds(4));
            progress.Clear();
        }

        Assert.Equal("", file.ToString());
    }

    [Fact]
    public async Task OnATerminal_AWaitLongerThanASecondSaysHowLongSoFar()
    {
        var terminal = new StringWriter();
        using var progress = new ProgressLine(terminal, isTerminal: true, "reconcile: waiting for the hub");

        var answer = await progress.TickWhileAsync(Task.Delay(TimeSpan.FromMilliseconds(3500)).ContinueWith(_ => 42, TaskScheduler.Default));

        // A tick a second (a busy machine may draw a later one late, never early).
        Assert.Equal(42, answer);
        var drawn = terminal.ToString();
        Assert.StartsWith($"{Rewind}reconcile: waiting for the hub 1 s{Rewind}reconcile: waiting for the hub ", drawn, StringComparison.Ordinal);
        Assert.InRange(drawn.Split(Rewind, StringSplitOptions.RemoveEmptyEntries).Length, 2, 3);
    }

    [Fact]
    public async Task OnATerminal_AQuickWaitDrawsNothing()
    {
        var terminal = new StringWriter();
        using (var progress = new ProgressLine(terminal, isTerminal: true, "reconcile: waiting for the hub"))
        {
            await progress.TickWhileAsync(Task.FromResult(1));
        }

        Assert.Equal("", terminal.ToString());
    }

    [Fact]
    public void Hub_WithStandardErrorRedirected_PrintsNoProgress()
    {
        // Checking a year's folder of feeds takes seconds; redirected (as here), standard error holds only the messages.
        var (exit, _, stderr) = Support.Processes.Hub("dataset", "--period", "2024", Path.Combine(RepoPaths.SampleFeeds, "2024"));

        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain('\r', stderr);
        Assert.DoesNotContain("checking feeds", stderr, StringComparison.Ordinal);
    }
}
