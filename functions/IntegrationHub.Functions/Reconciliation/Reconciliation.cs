using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Reconciliation;

[Description("One period and source: how many feeds reached each stage, and how many went missing on the way.")]
public sealed record ReconciliationRow(
    [property: Description("The feed's period, or `unknown` for unreadable bodies.")] string Period,
    string Source,
    [property: Description("Bodies stored in landing (every received body is landed first).")] int Landed,
    [property: Description("Landed bodies judged valid.")] int Validated,
    [property: Description("Landed bodies quarantined, with their report.")] int Quarantined,
    [property: Description("Valid feeds recorded in their year's ledger.")] int InLedger,
    [property: Description("Feeds in a stored data-set version that lists them.")] int Consolidated,
    [property: Description("Consolidated feeds whose data-set version (or a later one) was announced.")] int Published,
    [property: Description("Feeds younger than the grace period still on their way: not lost.")] int InFlight,
    [property: Description("Feeds older than the grace period that stopped short: each is listed under `lost`.")] int Lost);

[Description("A feed that is in one state but missing from the next.")]
public sealed record ReconciliationGap(
    [property: Description("Empty for bodies without a verdict.")] string FeedId,
    string Source,
    string? Period,
    [property: Description("The state the feed is recorded in.")] string State,
    [property: AllowedValues("verdict", "quarantine-report", "ledger", "normalised", "consolidation", "dataset", "announcement")]
    [property: Description("The stage it did not reach.")]
    string Stage,
    string Detail);

[Description("Something recorded twice that must exist once: a feed in a ledger, or two versions of a period built from the same feeds.")]
public sealed record ReconciliationDuplicate(
    [property: AllowedValues("ledger-entry", "dataset-version")] string Kind,
    [property: Description("The feed id, or the data-set period.")] string Subject,
    IReadOnlyList<string> Occurrences);

public sealed record ReconciliationTotals(
    int Landed, int Validated, int Quarantined, int InLedger, int Consolidated, int Published, int InFlight, int Lost,
    [property: Description("Entries under `duplicates`.")] int Duplicates);

public sealed record ReconciliationProgress(
    [property: AllowedValues("counting", "reading records", "checking feeds", "done")] string Phase,
    [property: Description("Landed feeds looked at so far.")] int Checked,
    [property: Description("Landed feeds to look at (of the source asked for, or all).")] int Total,
    DateTimeOffset UpdatedAt);

[ApiSchema("Reconciliation")]
[Description("Per feed period and source, how many feeds reached each stage; every feed that is in one state but missing from the next; "
    + "everything stored twice.")]
public sealed record ReconciliationReport(
    DateTimeOffset GeneratedAt, int GraceSeconds, ReconciliationTotals Totals, IReadOnlyList<ReconciliationRow> Rows,
    IReadOnlyList<ReconciliationGap> Lost, IReadOnlyList<ReconciliationDuplicate> Duplicates);

/// <summary>
/// Checks, reading storage only, that every landed feed went as far as its verdict says: validated, in the ledger,
/// normalised, in a stored version that lists it, and that version (or a later one) announced.
/// </summary>
public sealed partial class Reconciliation(
    FeedStore feeds, PeriodLedger ledger, DatasetStore datasets, ConsolidationRecords records, TimeProvider clock, ILogger<Reconciliation> logger)
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(5);

    public async Task<ReconciliationReport> RunAsync(
        TimeSpan grace, string? source, string? period, CancellationToken cancellationToken, Func<ReconciliationProgress, Task>? progress = null)
    {
        var now = clock.GetUtcNow();
        var settled = now - grace;
        progress ??= _ => Task.CompletedTask;
        await progress(new ReconciliationProgress("counting", 0, 0, clock.GetUtcNow())).ConfigureAwait(false);
        var total = await feeds.CountLandedAsync(source is { Length: > 0 } ? source : null, cancellationToken).ConfigureAwait(false);
        var checkedFeeds = 0;
        await progress(new ReconciliationProgress("reading records", 0, total, clock.GetUtcNow())).ConfigureAwait(false);

        var ledgerEntries = new List<LedgerEntry>();
        foreach (var year in await ledger.ReadYearsAsync(0, cancellationToken).ConfigureAwait(false))
        {
            ledgerEntries.AddRange(year.Entries);
        }

        var duplicates = ledgerEntries.GroupBy(e => e.FeedId, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => new ReconciliationDuplicate("ledger-entry", g.Key,
                [.. g.Select(e => string.Create(CultureInfo.InvariantCulture, $"generation {e.Generation}"))]))
            .ToList();
        var inLedger = ledgerEntries.GroupBy(e => e.FeedId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var quarantineReports = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var id in feeds.ListQuarantinedFeedIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            quarantineReports.Add(id);
        }

        var versions = new DatasetVersions(datasets);
        var inclusions = new FeedInclusions(records, datasets);
        duplicates.AddRange(await versions.TwinsAsync(cancellationToken).ConfigureAwait(false));

        var rows = new Dictionary<(string Period, string Source), RowCounts>();
        var lost = new List<ReconciliationGap>();
        await foreach (var feed in feeds.ListLandedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (source is { Length: > 0 } && feed.Source != source)
            {
                continue;
            }

            // Feeds landed since the count make the total grow with them rather than the count run past it.
            checkedFeeds++;
            total = Math.Max(total, checkedFeeds);
            await progress(new ReconciliationProgress("checking feeds", checkedFeeds, total, clock.GetUtcNow())).ConfigureAwait(false);
            var feedPeriod = feed.Period ?? "unknown";
            if (period is { Length: > 0 } && feedPeriod != period)
            {
                continue;
            }

            var counts = rows.TryGetValue((feedPeriod, feed.Source), out var found) ? found : rows[(feedPeriod, feed.Source)] = new RowCounts();
            counts.Landed++;
            var gap = await FirstGapAsync(feed, inLedger, quarantineReports, versions, inclusions, counts, cancellationToken).ConfigureAwait(false);
            if (gap is null)
            {
                continue;
            }

            if (feed.ReceivedAt > settled)
            {
                counts.InFlight++;
            }
            else
            {
                counts.Lost++;
                lost.Add(gap);
                LogGap(logger, gap.FeedId.Length > 0 ? gap.FeedId : $"{feed.Source}/{feed.ContentHash}", gap.Stage, gap.Detail);
            }
        }

        var ordered = rows.OrderBy(r => r.Key.Period, StringComparer.Ordinal).ThenBy(r => r.Key.Source, StringComparer.Ordinal)
            .Select(r => r.Value.ToRow(r.Key.Period, r.Key.Source)).ToList();
        var totals = new ReconciliationTotals(
            ordered.Sum(r => r.Landed), ordered.Sum(r => r.Validated), ordered.Sum(r => r.Quarantined), ordered.Sum(r => r.InLedger),
                ordered.Sum(r => r.Consolidated),
            ordered.Sum(r => r.Published), ordered.Sum(r => r.InFlight), ordered.Sum(r => r.Lost), duplicates.Count);
        LogReconciled(logger, totals.Landed, totals.Lost, totals.Duplicates, totals.InFlight);
        await progress(new ReconciliationProgress("done", checkedFeeds, total, clock.GetUtcNow())).ConfigureAwait(false);
        return new ReconciliationReport(now, (int)grace.TotalSeconds, totals, ordered, lost, duplicates);
    }

    private async Task<ReconciliationGap?> FirstGapAsync(
        LandedFeed feed, Dictionary<string, LedgerEntry> inLedger, HashSet<string> quarantineReports, DatasetVersions versions, FeedInclusions inclusions,
        RowCounts counts, CancellationToken cancellationToken)
    {
        ReconciliationGap Gap(string stage, string detail) => new(feed.FeedId, feed.Source, feed.Period, feed.State.ToString(), stage, detail);

        switch (feed.State)
        {
            case FeedState.Received:
                return Gap("verdict",
                    $"Landed as {HubContainers.Landing}/{FeedStore.LandingPath(feed.Source, feed.ContentHash)} but never validated or quarantined.");
            case FeedState.Quarantined:
                counts.Quarantined++;
                return quarantineReports.Contains(feed.FeedId)
                    ? null
                    : Gap("quarantine-report", $"Quarantined, but {HubContainers.Quarantine}/{feed.Source}/{feed.FeedId}.json (its report) is missing.");
        }

        counts.Validated++;
        if (!inLedger.TryGetValue(feed.FeedId, out var entry))
        {
            return Gap("ledger", "Validated, but not recorded in its year's ledger, so no data set will include it.");
        }

        counts.InLedger++;
        if (!await feeds.NormalisedExistsAsync(entry.NormalizedBlob, cancellationToken).ConfigureAwait(false))
        {
            return Gap("normalised", $"In the ledger, but its normalised feed {HubContainers.Normalized}/{entry.NormalizedBlob} is missing.");
        }

        // Older builds' feeds carry their versions on the landing blob; newer ones are read from the inclusion records.
        var taken = feed.Datasets.Count > 0 ? feed.Datasets
            : feed.Ledger is { } position ? await inclusions.VersionsAsync(position, cancellationToken).ConfigureAwait(false)
            : null;
        if (taken is not { Count: > 0 })
        {
            return Gap("consolidation", feed.Ledger is null
                ? "In the ledger, but its run has not handed it to consolidation (no ledger position on its landing blob)."
                : "In the ledger, but not (yet) consolidated into every data set it feeds.");
        }

        var announcedAll = true;
        foreach (var reference in taken)
        {
            var (datasetPeriod, version) = ParseVersionReference(reference);
            var inputs = await versions.InputsAsync(datasetPeriod, version, cancellationToken).ConfigureAwait(false);
            // A feed of the same source and period that was in force instead (a later revision, or the same revision
            // produced later) superseded it: it was consolidated and decided against, not lost.
            if (inputs is null || !(inputs.Contains(feed.FeedId) || inputs.Any(id => FeedId.SameSourceAndPeriod(id, feed.FeedId))))
            {
                return Gap("dataset", inputs is null
                    ? $"Marked as consolidated into {reference}, which is not stored."
                    : $"Marked as consolidated into {reference}, which does not list it among its inputs.");
            }

            announcedAll &= await versions.LastAnnouncedAsync(datasetPeriod, cancellationToken).ConfigureAwait(false) >= version;
        }

        counts.Consolidated++;
        if (!announcedAll)
        {
            return Gap("announcement", $"Consolidated into {string.Join(", ", taken)}, but no version including it was announced to subscribers.");
        }

        counts.Published++;
        return null;
    }

    private static (string Period, int Version) ParseVersionReference(string reference)
    {
        var slash = reference.LastIndexOf("/v", StringComparison.Ordinal);
        return (reference[..slash], int.Parse(reference[(slash + 2)..], CultureInfo.InvariantCulture));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation: {Feed} stopped before {Stage}: {Detail}")]
    private static partial void LogGap(ILogger logger, string feed, string stage, string detail);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Reconciliation: {Landed} landed feed(s), {Lost} lost, {Duplicates} duplicate(s), {InFlight} in flight")]
    private static partial void LogReconciled(ILogger logger, int landed, int lost, int duplicates, int inFlight);

    private sealed class RowCounts
    {
        public int Landed, Validated, Quarantined, InLedger, Consolidated, Published, InFlight, Lost;

        public ReconciliationRow ToRow(string period, string source) =>
            new(period, source, Landed, Validated, Quarantined, InLedger, Consolidated, Published, InFlight, Lost);
    }

    // Each stored version's inputs and each period's announcements, read once per run.
    private sealed class DatasetVersions(DatasetStore store)
    {
        private readonly Dictionary<(string, int), HashSet<string>?> inputs = [];
        private readonly Dictionary<string, int> lastAnnounced = new(StringComparer.Ordinal);

        public async Task<HashSet<string>?> InputsAsync(string period, int version, CancellationToken cancellationToken)
        {
            if (!inputs.TryGetValue((period, version), out var ids))
            {
                var stored = await store.GetVersionAsync(period, version, cancellationToken).ConfigureAwait(false);
                ids = stored?.ToDocument().Inputs.Select(i => i.FeedId).ToHashSet(StringComparer.Ordinal);
                inputs[(period, version)] = ids;
            }

            return ids;
        }

        public async Task<int> LastAnnouncedAsync(string period, CancellationToken cancellationToken)
        {
            if (!lastAnnounced.TryGetValue(period, out var last))
            {
                last = (await store.ListAnnouncedAsync(period, cancellationToken).ConfigureAwait(false)).DefaultIfEmpty(0).Max();
                lastAnnounced[period] = last;
            }

            return last;
        }

        // Versions of one period built from exactly the same feeds: the same data set stored twice.
        public async Task<IReadOnlyList<ReconciliationDuplicate>> TwinsAsync(CancellationToken cancellationToken)
        {
            var twins = new List<ReconciliationDuplicate>();
            foreach (var period in await store.ListPeriodsAsync(cancellationToken).ConfigureAwait(false))
            {
                var byInputs = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                foreach (var version in await store.ListVersionsAsync(period, cancellationToken).ConfigureAwait(false))
                {
                    var ids = await InputsAsync(period, version, cancellationToken).ConfigureAwait(false);
                    var key = string.Join(',', (ids ?? []).Order(StringComparer.Ordinal));
                    (byInputs.TryGetValue(key, out var list) ? list : byInputs[key] = []).Add(version);
                }

                twins.AddRange(byInputs.Values.Where(v => v.Count > 1).Select(v => new ReconciliationDuplicate(
                    "dataset-version", period, [.. v.Select(n => string.Create(CultureInfo.InvariantCulture, $"{period}/v{n}"))])));
            }

            return twins;
        }
    }
}
