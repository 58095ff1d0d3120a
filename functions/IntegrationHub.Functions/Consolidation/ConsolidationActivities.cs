using System.Globalization;
using System.Text.Json;
using IntegrationHub.Core;
using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Consolidation;

/// <summary>The steps of <see cref="ConsolidatePeriodOrchestration"/>, and the way a feed asks for one. Each is idempotent.</summary>
public sealed partial class ConsolidationActivities(
    HubCore core, PeriodLedger ledger, FeedStore feeds, DatasetStore datasets, ConsolidationRecords records, ConsolidationDemands demands,
    IDatasetPublisher publisher, TimeProvider clock, ILogger<ConsolidationActivities> logger)
{
    /// <summary>
    /// The demand is read before the ledger: every request counted in it was made after its feed was recorded, so the
    /// generations read next include each of them.
    /// </summary>
    [Function(nameof(BeginConsolidation))]
    public async Task<ConsolidationStart> BeginConsolidation([ActivityTrigger] string period, CancellationToken cancellationToken)
    {
        var requests = await demands.BeginAsync(period, cancellationToken).ConfigureAwait(false);
        var generations = await ReadLedgerGenerations(period, cancellationToken).ConfigureAwait(false);
        var pointer = await datasets.GetPointerAsync(period, cancellationToken).ConfigureAwait(false);
        return new ConsolidationStart(requests, generations,
            new Dictionary<string, long>(pointer?.Pointer.LedgerGenerations ?? new Dictionary<string, long>(), StringComparer.Ordinal));
    }

    /// <returns>The demand to run once more for; null when the run may end.</returns>
    [Function(nameof(FinishConsolidation))]
    public Task<long?> FinishConsolidation([ActivityTrigger] ConsolidationFinish finish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finish);
        return demands.FinishAsync(finish.Period, finish.Requests, cancellationToken);
    }

    public async Task<Dictionary<string, long>> ReadLedgerGenerations(string period, CancellationToken cancellationToken)
    {
        var generations = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var year in DatasetPeriods.LedgerYears(Period.Parse(period)))
        {
            generations[year.ToString(CultureInfo.InvariantCulture)] = await ledger.ReadGenerationAsync(year, cancellationToken).ConfigureAwait(false);
        }

        return generations;
    }

    [Function(nameof(BuildDataset))]
    public async Task<BuiltDataset> BuildDataset([ActivityTrigger] BuildRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var period = Period.Parse(request.Period);
        using var activity = HubTelemetry.StartBuilding(request.Period);
        var built = await BuildAsync(request, period, cancellationToken).ConfigureAwait(false);
        HubTelemetry.DatasetBuilt(activity, period, built.Version, built.IsNew);
        return built;
    }

    private async Task<BuiltDataset> BuildAsync(BuildRequest request, Period period, CancellationToken cancellationToken)
    {
        var entries = await SelectEntriesAsync(period, request.LedgerGenerations, cancellationToken).ConfigureAwait(false);
        var pointer = await datasets.GetPointerAsync(request.Period, cancellationToken).ConfigureAwait(false);
        var previous = pointer is null ? null : (await datasets.GetVersionAsync(request.Period,
            pointer.Value.Pointer.Version, cancellationToken).ConfigureAwait(false))?.ToDocument();

        // The feeds in force are the current version's inputs (a later feed that changes nothing in force, such as an
        // older revision, leaves them so): the data set is unchanged without loading a feed or building it again.
        // Otherwise the build decides, because feeds it cannot tell apart by the ledger are settled by their content.
        if (previous is not null && SameBasis(previous) && SameFeeds(previous.Inputs.Select(i => i.FeedId), entries.Select(e => e.FeedId)))
        {
            return await UnchangedAsync(previous, pointer!.Value.Pointer.Sha256, cancellationToken).ConfigureAwait(false);
        }

        var published = pointer?.Pointer.Version ?? 0;
        var newest = (await datasets.ListVersionsAsync(request.Period, cancellationToken).ConfigureAwait(false)).DefaultIfEmpty(0).Max();
        var generatedAt = new DateTimeOffset(DateTime.SpecifyKind(request.GeneratedAt, DateTimeKind.Utc));
        var document = core.Datasets.Build(period,
            await LoadFeedsAsync(entries, cancellationToken).ConfigureAwait(false), Math.Max(published, newest) + 1, generatedAt);
        if (previous is not null && SameBasis(previous) && SameInputs(previous, document))
        {
            return await UnchangedAsync(previous, pointer!.Value.Pointer.Sha256, cancellationToken).ConfigureAwait(false);
        }

        // A run interrupted after writing its version but before moving `latest` (a host stopped, a crash) left that
        // version stored and never announced. Built again from the same feeds it is the same data set: finish that
        // one rather than store a twin under the next number.
        if (newest > published && await datasets.GetVersionAsync(request.Period, newest, cancellationToken).ConfigureAwait(false) is { } unannounced)
        {
            var stored = unannounced.ToDocument();
            if (SameBasis(stored) && SameInputs(stored, document))
            {
                LogResumed(logger, request.Period, stored.Version);
                return new BuiltDataset(request.Period, stored.Version, unannounced.Sha256, true, previous?.Version, stored.Diff?.ChangedIndicators.Count ?? 0);
            }
        }

        var changes = DatasetDiff.Compare(previous, document);
        if (previous is not null)
        {
            var before = previous.Inputs.Select(i => i.FeedId).ToHashSet(StringComparer.Ordinal);
            document = document with
            {
                Diff = new DatasetVersionDiff(previous.Version, changes, [.. document.Inputs.Select(i => i.FeedId).Where(id => !before.Contains(id))])
                {
                    MethodologyChanged = previous.MethodologyVersion != document.MethodologyVersion ? true : null,
                    PreviousMethodologyVersion = previous.MethodologyVersion != document.MethodologyVersion ? previous.MethodologyVersion : null,
                },
            };
        }

        EnsureConformsToSchema(document);
        while (true)
        {
            var (outcome, sha) = await datasets.WriteVersionAsync(document, cancellationToken).ConfigureAwait(false);
            if (outcome != VersionWrite.Taken)
            {
                LogBuilt(logger, request.Period, document.Version, document.Status, changes.Count, document.Inputs.Count);
                return new BuiltDataset(request.Period, document.Version, sha, true, previous?.Version, changes.Count);
            }

            // A crashed earlier attempt left a different, never-announced version under this number: versions are immutable, take the next.
            document = document with { Version = document.Version + 1 };
        }
    }

    // The current version stands. A run that moved `latest` and then failed to announce (the publisher was away) left
    // it unannounced; the run replayed by ops announces it.
    private async Task<BuiltDataset> UnchangedAsync(DatasetDocument current, string sha256, CancellationToken cancellationToken)
    {
        var announced = await datasets.IsAnnouncedAsync(current.Period, current.Version, cancellationToken).ConfigureAwait(false);
        LogUnchanged(logger, current.Period, current.Version, announced ? "announced" : "not announced yet");
        return new BuiltDataset(current.Period, current.Version, sha256, false, null, 0, Unannounced: !announced);
    }

    /// <returns>The ledger generations the pointer held before (none for a period's first version): what was consolidated already.</returns>
    [Function(nameof(MoveLatest))]
    public async Task<Dictionary<string, long>> MoveLatest([ActivityTrigger] PointerMove move, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(move);
        var current = await datasets.GetPointerAsync(move.Period, cancellationToken).ConfigureAwait(false);
        if (current is { } existing && existing.Pointer.Version > move.Version)
        {
            throw new InvalidOperationException($"The latest pointer of {move.Period} is at v{existing.Pointer.Version}; it never moves back to "
                + $"v{move.Version}.");
        }

        var next = new DatasetPointer(move.Period, move.Version, move.Sha256, move.LedgerGenerations);
        if (!await datasets.MovePointerAsync(next, current?.ETag, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The latest pointer of {move.Period} was moved by someone else while consolidating; the run will be retried.");
        }

        return current is { } before ? new Dictionary<string, long>(before.Pointer.LedgerGenerations, StringComparer.Ordinal) : [];
    }

    /// <summary>Records which ledger entries this run took in and into which version (a feed's status reads it).</summary>
    [Function(nameof(RecordInclusion))]
    public Task RecordInclusion([ActivityTrigger] FeedsIncluded included, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(included);
        return records.RecordInclusionAsync(new Inclusion(included.Period, included.Version, included.Before, included.Generations), cancellationToken);
    }

    [Function(nameof(PublishDataset))]
    public async Task PublishDataset([ActivityTrigger] PublishRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A retried or replayed run must not announce a version twice: the record is written only after a successful send.
        // (A crash between the send and the record can still send twice: subscribers drop that by the event id, and
        // Service Bus's duplicate detection by the message id.)
        if (await datasets.IsAnnouncedAsync(request.Period, request.Version, cancellationToken).ConfigureAwait(false))
        {
            LogAlreadyAnnounced(logger, request.Period, request.Version);
            return;
        }

        var stored = await datasets.GetVersionAsync(request.Period, request.Version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Data set {request.Period} v{request.Version} is not stored.");
        var document = stored.ToDocument();
        var changes = document.Diff?.ChangedIndicators ?? DatasetDiff.Compare(null, document);
        var announcement = DatasetPublishedEvent.Create(document, changes);
        using var activity = HubTelemetry.StartPublishing(request.Period, request.Version);
        await publisher.PublishAsync(announcement, cancellationToken).ConfigureAwait(false);
        HubTelemetry.EventPublished(activity, Period.Parse(request.Period), announcement.Id!);
        await datasets.MarkAnnouncedAsync(request.Period, request.Version, announcement.Id!, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    // Whether a stored version was computed the way this build computes: same methodology and same coefficient set. A
    // version of an older methodology (1.0) or older reference values is re-consolidated even from the same feeds.
    private bool SameBasis(DatasetDocument stored) =>
        stored.MethodologyVersion == DatasetMethodology.CurrentVersion && stored.Coefficients.Version == core.Reference.Coefficients.Version;

    private static bool SameInputs(DatasetDocument previous, DatasetDocument current) =>
        SameFeeds(previous.Inputs.Select(i => i.FeedId), current.Inputs.Select(i => i.FeedId));

    private static bool SameFeeds(IEnumerable<string> a, IEnumerable<string> b) =>
        a.Order(StringComparer.Ordinal).SequenceEqual(b.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    // The ledger entries the build can use (the feeds in force), up to the ledger generations the run started from.
    private async Task<IReadOnlyList<LedgerEntry>> SelectEntriesAsync(Period period,
        IReadOnlyDictionary<string, long> generations, CancellationToken cancellationToken)
    {
        var recorded = new List<LedgerEntry>();
        foreach (var (year, generation) in generations)
        {
            var document = await ledger.ReadAsync(int.Parse(year, CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            recorded.AddRange(document.Entries.Where(e => e.Generation <= generation));
        }

        return DatasetPeriods.SelectInputs(period, recorded, e => new LedgerKey(e.Source, e.Period, e.Revision, e.ProducedAt, e.FeedId));
    }

    private async Task<List<NormalisedFeed>> LoadFeedsAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var loaded = new NormalisedFeed[entries.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, entries.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => loaded[i] = await feeds.ReadNormalisedAsync(entries[i].NormalizedBlob, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return [.. loaded];
    }

    private void EnsureConformsToSchema(DatasetDocument document)
    {
        var issues = core.Schemas.Evaluate(core.Schemas.Dataset(), JsonSerializer.SerializeToElement(document, HubJson.Options));
        if (issues.Count > 0)
        {
            // A data set that breaks its own published schema must never reach consumers: fail the run for ops to see.
            throw new InvalidDataException(
                $"Data set {document.Period} v{document.Version} does not conform to its schema: "
                + string.Join("; ", issues.Take(10).Select(i => $"{i.InstanceLocation} {i.Keyword}: {i.Message}")));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data set {Period} v{Version} built: {Status}, {Changes} changed figure(s), {Inputs} input feed(s)")]
    private static partial void LogBuilt(ILogger logger, string period, int version, string status, int changes, int inputs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Data set {Period} v{Version} was stored by an interrupted run from the same feeds; announcing it instead of storing a twin")]
    private static partial void LogResumed(ILogger logger, string period, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data set {Period} unchanged at v{Version} ({Announcement}): no new input")]
    private static partial void LogUnchanged(ILogger logger, string period, int version, string announcement);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data set {Period} v{Version} was announced before; not sent again")]
    private static partial void LogAlreadyAnnounced(ILogger logger, string period, int version);

}
