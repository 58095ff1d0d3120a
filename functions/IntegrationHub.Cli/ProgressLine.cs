using System.Globalization;

namespace IntegrationHub.Cli;

// Progress of a command that can take more than a second, as one line on standard error rewritten in place. Only a
// terminal gets it: redirected to a file or a pipe, standard error keeps just the command's messages, so scripts and
// logs never hold carriage returns. Standard output is never touched.
internal sealed class ProgressLine(TextWriter writer, bool isTerminal, string label) : IDisposable
{
    // Erase to the end of the line (ANSI EL): a shorter line must not leave the tail of a longer one behind.
    private const string Rewind = "\r\u001b[K";
    private const int MaxWidth = 100;
    private bool drawn;

    // Progress on this process's standard error, silent when it is redirected.
    public static ProgressLine OnStandardError(string label) => new(Console.Error, !Console.IsErrorRedirected, label);

    // Step done of total started (1-based), on item.
    public void Step(int done, int total, string? item = null) =>
        Draw(string.Create(CultureInfo.InvariantCulture, $"{label} {done}/{total}{(item is null ? "" : " " + item)}"));

    // done so far, when the total is not known.
    public void Count(int done) => Draw(string.Create(CultureInfo.InvariantCulture, $"{label} {done}"));

    // Waiting on one long step: how long so far.
    public void Waiting(TimeSpan elapsed) =>
        Draw(string.Create(CultureInfo.InvariantCulture, $"{label} {(int)elapsed.TotalSeconds} s"));

    // Awaits work, saying every second how long it has taken so far.
    public async Task<T> TickWhileAsync<T>(Task<T> work)
    {
        if (!isTerminal)
        {
            return await work.ConfigureAwait(false);
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var ticks = 0;
        while (await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false) != work)
        {
            // A timer may fire a hair before the wall clock says a second has passed: each tick counts at least one.
            ticks++;
            Waiting(TimeSpan.FromSeconds(Math.Max(ticks, Math.Floor(started.Elapsed.TotalSeconds))));
        }

        return await work.ConfigureAwait(false);
    }

    public void Dispose() => Clear();

    // Clears the line, so what the command prints next starts on a clean line; the next step draws it again.
    public void Clear()
    {
        if (drawn)
        {
            writer.Write(Rewind);
            writer.Flush();
            drawn = false;
        }
    }

    private void Draw(string text)
    {
        if (!isTerminal)
        {
            return;
        }

        writer.Write(Rewind + (text.Length > MaxWidth ? text[..(MaxWidth - 1)] + "…" : text));
        writer.Flush();
        drawn = true;
    }
}
