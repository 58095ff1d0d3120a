using System.Globalization;
using Azure.Storage.Blobs;
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

    private const int MaxAttempts = 20;

    public static string UsagePath(string source, DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd}/{source}.json");

    /// <summary>Counts <paramref name="bytes"/> for today's usage of <paramref name="source"/>, unless the quota is reached already.</summary>
    public async Task<QuotaDecision> TryReserveAsync(string source, long bytes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var untilTomorrow = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - now;
        var quota = dailyPushBytes();
        var blob = Blob(source, day);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (usage, etag) = await ConditionalJsonBlob.ReadAsync<DailyUsage>(blob, cancellationToken).ConfigureAwait(false);
            var used = usage?.Bytes ?? 0;
            if (used >= quota)
            {
                return new QuotaDecision(false, source, day, bytes, used, untilTomorrow);
            }

            // A false write: another push of the department counted meanwhile (another instance, or this one); read again.
            if (await ConditionalJsonBlob.TryWriteAsync(blob, new DailyUsage(used + bytes, (usage?.Pushes ?? 0) + 1),
                etag, cancellationToken).ConfigureAwait(false))
            {
                return new QuotaDecision(true, source, day, bytes, used, TimeSpan.Zero);
            }
        }

        throw new InvalidOperationException($"The usage of '{source}' on {day:yyyy-MM-dd} changed under each of {MaxAttempts} attempts to count a push.");
    }

    /// <summary>Gives back a reservation that stored nothing. Best effort: if it fails the day counts a little more, never less.</summary>
    public async Task ReleaseAsync(QuotaDecision reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (!reservation.Granted)
        {
            return;
        }

        var blob = Blob(reservation.Source, reservation.Day);
        try
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var (usage, etag) = await ConditionalJsonBlob.ReadAsync<DailyUsage>(blob, cancellationToken).ConfigureAwait(false);
                if (usage is null)
                {
                    return;
                }

                var next = new DailyUsage(Math.Max(0, usage.Bytes - reservation.Bytes), Math.Max(0, usage.Pushes - 1));
                if (await ConditionalJsonBlob.TryWriteAsync(blob, next, etag, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Azure.RequestFailedException ex)
        {
            LogReleaseFailed(logger, reservation.Source, reservation.Bytes, ex.Message);
        }
    }

    /// <summary>What <paramref name="source"/> has stored on <paramref name="day"/>; zero when nothing.</summary>
    public async Task<DailyUsage> UsageAsync(string source, DateOnly day, CancellationToken cancellationToken) =>
        (await ConditionalJsonBlob.ReadAsync<DailyUsage>(Blob(source, day), cancellationToken).ConfigureAwait(false)).Document ?? new DailyUsage(0, 0);

    private BlobClient Blob(string source, DateOnly day) => blobs.GetBlobContainerClient(HubContainers.Usage).GetBlobClient(UsagePath(source, day));

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A duplicate push of {Source} stored nothing, but its {Bytes} bytes could not be given back to the day's quota: {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string source, long bytes, string reason);
}
