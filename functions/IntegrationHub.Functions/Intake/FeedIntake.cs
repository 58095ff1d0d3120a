using System.Diagnostics;
using Azure;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Telemetry;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Intake;

public enum IntakeVerdict
{
    Accepted,

    /// <summary>The exact same bytes were received before; the feed's run is started only if it does not exist.</summary>
    Duplicate,
    Rejected,
}

/// <param name="Period">The feed's period as it states it; null when it could not be read.</param>
public sealed record IntakeOutcome(IntakeVerdict Verdict, string FeedId, string? Period, string ContentHash, ValidationReport Report, AcceptedFeed? Feed);

/// <summary>A pushed or pulled feed's way in: land the bytes first, then validate, then record the verdict.</summary>
public sealed partial class FeedIntake(FeedStore store, FeedValidator validator, ILogger<FeedIntake> logger)
{
    public async Task<IntakeOutcome> ReceiveAsync(string source, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        HubTelemetry.FeedReceived(source, HubTelemetry.PushChannel);
        using var activity = HubTelemetry.StartReceiving(source);
        var contentHash = FeedId.ContentHash(body.Span);
        var stored = await store.LandNewAsync(source, contentHash, body, cancellationToken).ConfigureAwait(false);
        var outcome = await DecideAsync(source, contentHash, body, stored, cancellationToken).ConfigureAwait(false);
        // A push's duplicate counts too: it is the answer the department got.
        HubTelemetry.CountVerdict(source, outcome.Verdict);
        activity?.SetTag(HubTelemetry.Tags.FeedId, outcome.FeedId);
        return outcome;
    }

    /// <summary>
    /// The verdict on bytes already in the landing container (a pulled feed, or a push whose receiver died before
    /// recording): recorded now when nobody has, otherwise the one recorded before, reported as a duplicate.
    /// </summary>
    public async Task<IntakeOutcome> DecideLandedAsync(string source, string contentHash, CancellationToken cancellationToken)
    {
        var body = await store.ReadLandedAsync(source, contentHash, cancellationToken).ConfigureAwait(false);
        var outcome = await DecideAsync(source, contentHash, body.ToMemory(), null, cancellationToken).ConfigureAwait(false);
        // Each step of a feed's pipeline reads the verdict again: only the call that recorded it counts one.
        if (outcome.Verdict != IntakeVerdict.Duplicate)
        {
            HubTelemetry.CountVerdict(source, outcome.Verdict);
        }

        return outcome;
    }

    /// <param name="storedNow">The ETag of bytes this call has just landed; null to read the landed state.</param>
    private async Task<IntakeOutcome> DecideAsync(string source, string contentHash, ReadOnlyMemory<byte> body, ETag? storedNow, CancellationToken cancellationToken)
    {
        var (landedState, landedETag) = storedNow is { } etag
            ? (FeedState.Received, etag)
            : await store.GetLandingStateAsync(source, contentHash, cancellationToken).ConfigureAwait(false);
        using var activity = HubTelemetry.StartJudging(source);
        var started = Stopwatch.GetTimestamp();
        var check = validator.Validate(body, source, contentHash);
        HubTelemetry.ValidationTook(source, check.Feed is not null, Stopwatch.GetElapsedTime(started));
        var feedId = check.Report.FeedId!;
        var state = check.Feed is null ? FeedState.Quarantined : FeedState.Validated;

        // Whoever records the verdict first owns the feed; validation is deterministic, so every receiver would record the same.
        if (landedState != FeedState.Received
            || !await store.RecordAsync(source, contentHash, landedETag, feedId, state, check.Report, cancellationToken).ConfigureAwait(false))
        {
            LogDuplicate(logger, feedId, source);
            HubTelemetry.FeedJudged(activity, feedId, IntakeVerdict.Duplicate);
            return new IntakeOutcome(IntakeVerdict.Duplicate, feedId, check.Report.Period, contentHash, check.Report, check.Feed);
        }

        if (check.Feed is null)
        {
            LogQuarantined(logger, feedId, source, check.Report.Errors.Count);
            HubTelemetry.FeedJudged(activity, feedId, IntakeVerdict.Rejected);
            return new IntakeOutcome(IntakeVerdict.Rejected, feedId, check.Report.Period, contentHash, check.Report, null);
        }

        LogAccepted(logger, feedId, source, check.Report.Warnings.Count);
        HubTelemetry.FeedJudged(activity, feedId, IntakeVerdict.Accepted);
        return new IntakeOutcome(IntakeVerdict.Accepted, feedId, check.Report.Period, contentHash, check.Report, check.Feed);
    }

    /// <summary>
    /// The state of a feed by its id. A feed whose bytes are landed but not yet judged (a pulled feed waiting for its
    /// validation) has no id recorded; its id is worked out from its bytes, as the verdict will record it, so that it
    /// answers Received rather than "unknown".
    /// </summary>
    public async Task<FeedStatus?> GetStatusAsync(string feedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedId);
        var lookup = await store.LookUpAsync(feedId, cancellationToken).ConfigureAwait(false);
        if (lookup.Status is { } decided)
        {
            return decided;
        }

        foreach (var landed in lookup.Undecided)
        {
            var body = await store.ReadLandedAsync(landed.Source, landed.ContentHash, cancellationToken).ConfigureAwait(false);
            var report = validator.Validate(body.ToMemory(), landed.Source, landed.ContentHash).Report;
            if (report.FeedId == feedId)
            {
                return new FeedStatus(
                    feedId, landed.Source, report.Period, FeedState.Received, $"{HubContainers.Landing}/{FeedStore.LandingPath(landed.Source, landed.ContentHash)}",
                    landed.ReceivedAt, null, []);
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {FeedId} from {Source} received and validated ({Warnings} warning(s))")]
    private static partial void LogAccepted(ILogger logger, string feedId, string source, int warnings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {FeedId} from {Source} quarantined: {Errors} error(s)")]
    private static partial void LogQuarantined(ILogger logger, string feedId, string source, int errors);

    // Not "nothing started": the caller still makes sure the feed's run exists, and starts it when storage lost it.
    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {FeedId} from {Source} received again; its verdict was recorded before")]
    private static partial void LogDuplicate(ILogger logger, string feedId, string source);
}
