using System.Collections.Concurrent;
using System.Globalization;
using Azure.Storage.Blobs;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Access;

/// <summary>One department's pushed bytes on one UTC day, as <c>usage/{yyyy-MM-dd}/{source}.json</c> records them.</summary>
public sealed record DailyUsage(long Bytes, int Pushes);

/// <summary>What a push may store: granted (the bytes are counted for <see cref="Day"/>), or refused until <see cref="RetryAfter"/>.</summary>
public sealed record QuotaDecision(bool Granted, string Source, DateOnly Day, long Bytes, long UsedBefore, TimeSpan RetryAfter);

/// <summary>
/// The per-department daily byte quota on pushed bodies, counted in one storage document per department and day
/// changed under its ETag, so every instance counts against the same figure. A duplicate push gives its bytes back.
/// </summary>
/// <param name="dailyPushBytes">The quota as the settings say now (read on every push: a change applies at once).</param>
public sealed partial class DailyPushQuota(BlobServiceClient blobs, Func<long> dailyPushBytes, TimeProvider clock, ILogger<DailyPushQuota> logger)
{
    public DailyPushQuota(BlobServiceClient blobs, AccessGate gate, TimeProvider clock, ILogger<DailyPushQuota> logger)
        : this(blobs, () => gate.DailyPushBytes, clock, logger)
    {
    }

    // Conditional writes lost to other instances before a batch gives up with a 503 (one instance never races itself).
    private const int MaxAttempts = 20;

    // One counter per department and day on this instance: its pushes are counted together (below).
    private readonly ConcurrentDictionary<(string Source, DateOnly Day), Counter> counters = new();

    public static string UsagePath(string source, DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd}/{source}.json");

    /// <summary>Counts <paramref name="bytes"/> for today's usage of <paramref name="source"/>, unless the quota is reached already.</summary>
    /// <exception cref="DependencyUnavailableException">Other instances changed the count under every attempt (a 503 to the caller).</exception>
    public async Task<QuotaDecision> TryReserveAsync(string source, long bytes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var untilTomorrow = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - now;
        // A caller that gives up while its change waits may still be counted: the day then counts a little more, never less.
        var (granted, usedBefore) = await CountAsync(source, day, new Change(bytes, dailyPushBytes()))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return new QuotaDecision(granted, source, day, bytes, usedBefore, granted ? TimeSpan.Zero : untilTomorrow);
    }

    /// <summary>Gives back a reservation that stored nothing. Best effort: if it fails the day counts a little more, never less.</summary>
    public async Task ReleaseAsync(QuotaDecision reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (!reservation.Granted)
        {
            return;
        }

        try
        {
            await CountAsync(reservation.Source, reservation.Day, new Change(reservation.Bytes, Quota: null))
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or DependencyUnavailableException)
        {
            LogReleaseFailed(logger, reservation.Source, reservation.Bytes, ex.Message);
        }
    }

    // Concurrent pushes of one department would each read the count and race to write it under its ETag, all but one
    // failing every round (32 at once exhausted 20 attempts and answered 500). Instead, while one write of a counter is
    // in flight the next changes queue, and the following read-and-write counts all of them: a round trip pair per
    // batch, not a retry per push. Across instances the ETag still decides.
    private Task<(bool Granted, long UsedBefore)> CountAsync(string source, DateOnly day, Change change)
    {
        if (!counters.TryGetValue((source, day), out var counter))
        {
            foreach (var old in counters.Keys.Where(key => key.Day < day.AddDays(-1)))
            {
                counters.TryRemove(old, out _);
            }

            counter = counters.GetOrAdd((source, day), _ => new Counter(Blob(source, day)));
        }

        bool start;
        lock (counter)
        {
            counter.Pending.Add(change);
            start = !counter.Writing;
            counter.Writing = true;
        }

        if (start)
        {
            _ = Task.Run(() => WritePendingAsync(counter));
        }

        return change.Done.Task;
    }

    private static async Task WritePendingAsync(Counter counter)
    {
        while (true)
        {
            List<Change> batch;
            lock (counter)
            {
                if (counter.Pending.Count == 0)
                {
                    counter.Writing = false;
                    return;
                }

                batch = counter.Pending;
                counter.Pending = [];
            }

            try
            {
                await WriteBatchAsync(counter.Blob, batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                batch.ForEach(change => change.Done.TrySetException(ex));
            }
        }
    }

    // The batch in arrival order against the count as read: a reservation is granted while the count before it is under
    // its quota (and then counted whole), a release gives its bytes back. Not the callers' tokens: others wait on it.
    private static async Task WriteBatchAsync(BlobClient blob, List<Change> batch)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (usage, etag) = await ConditionalJsonBlob.ReadAsync<DailyUsage>(blob, CancellationToken.None).ConfigureAwait(false);
            var (bytes, pushes) = (usage?.Bytes ?? 0, usage?.Pushes ?? 0);
            var outcomes = new (bool Granted, long UsedBefore)[batch.Count];
            var changed = false;
            for (var i = 0; i < batch.Count; i++)
            {
                var change = batch[i];
                if (change.Quota is not { } quota)
                {
                    // A release: nothing to give back when the day holds no count.
                    if (usage is not null)
                    {
                        (bytes, pushes, changed) = (Math.Max(0, bytes - change.Bytes), Math.Max(0, pushes - 1), true);
                    }

                    outcomes[i] = (true, bytes);
                }
                else if (bytes >= quota)
                {
                    outcomes[i] = (false, bytes);
                }
                else
                {
                    outcomes[i] = (true, bytes);
                    (bytes, pushes, changed) = (bytes + change.Bytes, pushes + 1, true);
                }
            }

            if (!changed || await ConditionalJsonBlob.TryWriteAsync(blob, new DailyUsage(bytes, pushes), etag, CancellationToken.None)
                .ConfigureAwait(false))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(outcomes[i]);
                }

                return;
            }
        }

        throw new DependencyUnavailableException(DependencyOutage.Storage,
            $"the day's push count of {blob.Name} changed under each of {MaxAttempts} attempts to write it", null);
    }

    /// <summary>What <paramref name="source"/> has stored on <paramref name="day"/>; zero when nothing.</summary>
    public async Task<DailyUsage> UsageAsync(string source, DateOnly day, CancellationToken cancellationToken) =>
        (await ConditionalJsonBlob.ReadAsync<DailyUsage>(Blob(source, day), cancellationToken).ConfigureAwait(false)).Document ?? new DailyUsage(0, 0);

    private BlobClient Blob(string source, DateOnly day) => blobs.GetBlobContainerClient(HubContainers.Usage).GetBlobClient(UsagePath(source, day));

    // Quota null: a release.
    private sealed record Change(long Bytes, long? Quota)
    {
        public TaskCompletionSource<(bool Granted, long UsedBefore)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Counter(BlobClient blob)
    {
        public BlobClient Blob { get; } = blob;
        public List<Change> Pending { get; set; } = [];
        public bool Writing { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A duplicate push of {Source} stored nothing, but its {Bytes} bytes could not be given back to the day's quota: {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string source, long bytes, string reason);
}
