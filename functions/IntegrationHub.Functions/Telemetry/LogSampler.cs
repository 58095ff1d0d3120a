namespace IntegrationHub.Functions.Telemetry;

/// <summary>
/// At most <c>perMinute</c> log lines a minute for an event anyone can cause (a request without a key): a flood costs
/// a bounded log, and the first line of the next minute says how many were left out.
/// </summary>
public sealed class LogSampler(int perMinute, TimeProvider? clock = null)
{
    private readonly TimeProvider time = clock ?? TimeProvider.System;
    private readonly Lock sync = new();
    private long window = long.MinValue;
    private int taken;
    private long skipped;

    /// <summary>
    /// True when this event may be logged; <paramref name="leftOut"/> is then the number of events not logged since the
    /// last line that was (0 when none).
    /// </summary>
    public bool TryTake(out long leftOut)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        lock (sync)
        {
            if (minute != window)
            {
                window = minute;
                taken = 0;
            }

            if (taken >= perMinute)
            {
                skipped++;
                leftOut = 0;
                return false;
            }

            taken++;
            leftOut = skipped;
            skipped = 0;
            return true;
        }
    }
}
