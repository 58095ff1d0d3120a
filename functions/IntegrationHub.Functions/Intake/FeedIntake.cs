using System.Diagnostics;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Validation;
using IntegrationHub.Core.Receipts;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Receipts;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Telemetry;
using Microsoft.DurableTask.Client;
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
/// <param name="Feed">The accepted feed; null when it is quarantined now or was before.</param>
public sealed record IntakeOutcome(IntakeVerdict Verdict, string FeedId, string? Period, string ContentHash, ValidationReport Report, AcceptedFeed? Feed)
{
    /// <summary>When this call landed the bytes; null for a duplicate.</summary>
    public DateTimeOffset? LandedAt { get; init; }

    /// <summary>The hub's clock when this call had the whole body (the receipt's time); null for a duplicate.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>A duplicate's bytes as they were landed before, with their verdict.</summary>
    public LandedFeed? Earlier { get; init; }

    /// <summary>
    /// The signed receipt landed with the bytes: this call's when it landed them, else the first lander's (so the same
    /// bytes always get the same receipt); null only for bytes landed before receipts existed.
    /// </summary>
    public string? Receipt { get; init; }
}

/// <summary>
/// A pushed or pulled feed's one way in: judged once (parsing, its schema, the domain rules), then landed with its
/// verdict in one conditional write while an accepted feed's normalised form is stored beside it, and then handed to
/// its ProcessFeed run. Nothing after this validates the feed again.
/// </summary>
/// <param name="held">Schema versions the evolution gate found incompatible with stored feeds: feeds judged by one are not taken.</param>
public sealed partial class FeedIntake(
    FeedStore store, FeedValidator validator, FeedProcessing processing, ConsolidationRecords records, DatasetStore datasets, ReceiptIssuer receipts,
    TimeProvider clock, ILogger<FeedIntake> logger, HeldFeedSchemaVersions? held = null)
{
    /// <summary>Judges and lands the bytes, then starts an accepted feed's run (or makes sure a duplicate's exists).</summary>
    /// <param name="channel"><see cref="HubTelemetry.PushChannel"/> or <see cref="HubTelemetry.PullChannel"/>.</param>
    public async Task<IntakeOutcome> ReceiveAsync(
        string source, ReadOnlyMemory<byte> body, string channel, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var outcome = await LandAsync(source, body, channel, cancellationToken).ConfigureAwait(false);
        if (outcome.LandedAt is not null)
        {
            if (outcome.Feed is not null)
            {
                // These bytes were landed by this call: nobody else can be starting their run, so no claim is needed.
                await processing.StartNewAsync(client, new FeedRef(source, outcome.Period!, outcome.ContentHash, outcome.FeedId, outcome.ReceivedAt),
                    cancellationToken).ConfigureAwait(false);
            }

            return outcome;
        }

        var earlier = outcome.Earlier!;
        if (outcome.Feed is null)
        {
            LogDuplicate(logger, outcome.FeedId, source, "quarantined before: nothing to start");
            return outcome;
        }

        // Its run exists unless the first receiver died between landing and starting it: then this starts it.
        var started = await processing.EnsureStartedAsync(
            client, new FeedRef(source, earlier.Period ?? outcome.Period!, outcome.ContentHash, earlier.FeedId, earlier.ReceivedAt),
                earlier.ReceivedAt, cancellationToken).ConfigureAwait(false);
        LogDuplicate(logger, outcome.FeedId, source, started ? "its run was missing and is started now" : "its run exists");
        return outcome;
    }

    /// <summary>Judges the bytes and lands them with their verdict; a duplicate gets the verdict recorded before.</summary>
    public async Task<IntakeOutcome> LandAsync(string source, ReadOnlyMemory<byte> body, string channel, CancellationToken cancellationToken)
    {
        // The hub's clock when the whole body had arrived: the receipt's received time.
        var receivedAt = clock.GetUtcNow();
        HubTelemetry.FeedReceived(source, channel);
        using var activity = HubTelemetry.StartReceiving(source, channel);
        var contentHash = FeedId.ContentHash(body.Span);
        // The judge span covers the verdict and its recording with the bytes; it carries the feed id and the verdict.
        using var judging = HubTelemetry.StartJudging(source);
        var check = Judge(source, body, contentHash);
        // Accepted or not, a verdict of a held version may be wrong: nothing is landed, and the sender is asked to retry.
        if (held is not null && check.Report.SchemaVersion is { } version && held.IsHeld(source, version, out var reason))
        {
            throw new DependencyUnavailableException(DependencyOutage.SchemaGate,
                $"feed schema {source} {version} is held by the schema evolution gate: {reason}", null);
        }

        var feedId = check.Report.FeedId!;
        var (landedAt, receipt) = await LandAsync(source, contentHash, body, check, receivedAt, cancellationToken).ConfigureAwait(false);
        activity?.SetTag(HubTelemetry.Tags.FeedId, feedId);
        if (landedAt is not null)
        {
            var verdict = check.Feed is null ? IntakeVerdict.Rejected : IntakeVerdict.Accepted;
            HubTelemetry.CountVerdict(source, VerdictTag(verdict));
            HubTelemetry.FeedJudged(judging, feedId, VerdictTag(verdict));
            if (check.Feed is null)
            {
                LogQuarantined(logger, feedId, source, check.Report.Errors.Count);
            }
            else
            {
                LogAccepted(logger, feedId, source, check.Report.Warnings.Count);
            }

            return new IntakeOutcome(verdict, feedId, check.Report.Period, contentHash, check.Report, check.Feed) { LandedAt = landedAt,
                ReceivedAt = receivedAt, Receipt = receipt };
        }

        // The same bytes were landed before, with their verdict: that verdict stands (the rules may have changed since).
        HubTelemetry.CountVerdict(source, HubTelemetry.Verdicts.Duplicate);
        HubTelemetry.FeedJudged(judging, feedId, HubTelemetry.Verdicts.Duplicate);
        var earlier = await store.GetLandedAsync(source, contentHash, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Feed {feedId} was landed, but "
                + $"{HubContainers.Landing}/{FeedStore.LandingPath(source, contentHash)} is gone.");
        var accepted = earlier.State is FeedState.Validated or FeedState.Consolidated || (earlier.State == FeedState.Received && check.Feed is not null);
        return new IntakeOutcome(IntakeVerdict.Duplicate, feedId, check.Report.Period, contentHash, check.Report, accepted ? check.Feed : null)
        {
            Earlier = earlier,
            Receipt = earlier.Receipt,
        };
    }

    private FeedCheck Judge(string source, ReadOnlyMemory<byte> body, string contentHash)
    {
        var started = Stopwatch.GetTimestamp();
        var check = validator.Validate(body, source, contentHash);
        HubTelemetry.ValidationTook(source, check.Feed is not null, Stopwatch.GetElapsedTime(started));
        return check;
    }

    // An accepted feed's normalised form is written beside its landing, not after it: the push then waits for one round
    // trip, not two. Landing decides whether these bytes are new; the normalised blob is a pure function of them, so a
    // second writer of the same bytes writes the same content. The receipt is signed before the landing and landed in
    // the same write: landed bytes always have their receipt, and a push whose receipt cannot be signed lands nothing
    // (it is answered 503 and can be sent again). The landing time and the receipt when these bytes are new; a null
    // time when they were landed before.
    private async Task<(DateTimeOffset? LandedAt, string Receipt)> LandAsync(
        string source, string contentHash, ReadOnlyMemory<byte> body, FeedCheck check, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var feedId = check.Report.FeedId!;
        var verdict = check.Feed is null ? ReceiptClaims.Quarantined : ReceiptClaims.Accepted;
        var normalised = check.Feed is { } accepted ? store.StoreNormalisedAsync(FeedNormaliser.Normalise(accepted), cancellationToken) : Task.FromResult("");
        var receipt = await receipts.IssueAsync(feedId, source, check.Report.Period, contentHash, body.Length,
            receivedAt, verdict, cancellationToken).ConfigureAwait(false);
        var state = check.Feed is null ? FeedState.Quarantined : FeedState.Validated;
        var landing = store.LandJudgedAsync(source, contentHash, body, feedId, state, check.Report, receipt, cancellationToken);
        await Task.WhenAll(normalised, landing).ConfigureAwait(false);
        return (await landing.ConfigureAwait(false), receipt);
    }

    /// <summary>
    /// The state of a feed by its id. An accepted feed is Consolidated once every data set it feeds has taken it in,
    /// as the consolidations' inclusion records say; until then it is Validated. Nothing is validated here.
    /// </summary>
    public async Task<FeedStatus?> GetStatusAsync(string feedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedId);
        return await WithInclusionsAsync(await store.GetStatusAsync(feedId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As <see cref="GetStatusAsync(string, CancellationToken)"/>, among the bodies pushed to <paramref name="source"/>'s URL only.</summary>
    public async Task<FeedStatus?> GetStatusAsync(string source, string feedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedId);
        return await WithInclusionsAsync(await store.GetStatusAsync(source, feedId, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<FeedStatus?> WithInclusionsAsync(FeedStatus? status, CancellationToken cancellationToken)
    {
        if (status is not { State: FeedState.Validated, Ledger: { } position })
        {
            return status;
        }

        var versions = await new FeedInclusions(records, datasets).VersionsAsync(position, cancellationToken).ConfigureAwait(false);
        return versions is null ? status : status with { State = FeedState.Consolidated, Datasets = versions };
    }

    private static string VerdictTag(IntakeVerdict verdict) => verdict switch
    {
        IntakeVerdict.Accepted => HubTelemetry.Verdicts.Accepted,
        IntakeVerdict.Duplicate => HubTelemetry.Verdicts.Duplicate,
        _ => HubTelemetry.Verdicts.Rejected,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {FeedId} from {Source} received and validated ({Warnings} warning(s))")]
    private static partial void LogAccepted(ILogger logger, string feedId, string source, int warnings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {FeedId} from {Source} quarantined: {Errors} error(s)")]
    private static partial void LogQuarantined(ILogger logger, string feedId, string source, int errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {FeedId} from {Source} received again; its verdict was recorded before, {Then}")]
    private static partial void LogDuplicate(ILogger logger, string feedId, string source, string then);
}
