using System.Text.Json.Serialization;

namespace IntegrationHub.Functions.Intake;

// Orchestration inputs and outputs are persisted in the task hub's history: small records, additive changes only.

/// <summary>A landed feed: <c>landing/{Source}/{ContentHash}.json</c>; <see cref="Period"/> as the feed (or the pull) states it.</summary>
public sealed record FeedRef(string Source, string Period, string ContentHash);

/// <summary>The recorded verdict on a landed feed.</summary>
public sealed record FeedVerdict(string FeedId, bool Accepted, int Errors, int Warnings);

/// <summary>Where a feed sits in the ledger, and which data sets must include it.</summary>
public sealed record LedgerRecord(string FeedId, int Year, long Generation, IReadOnlyList<string> AffectedPeriods);

/// <summary>Asks that the data set of <see cref="Period"/> include ledger <see cref="Year"/> up to <see cref="Generation"/>.</summary>
public sealed record ConsolidationRequest(string Period, int Year, long Generation);

[JsonConverter(typeof(JsonStringEnumConverter<ConsolidationState>))]
public enum ConsolidationState
{
    /// <summary>The current data set includes the requested generation.</summary>
    Included,

    /// <summary>A consolidation is running (or was just started); it will pick the feed up, now or in its re-run.</summary>
    Pending,

    /// <summary>The period's consolidation failed; ops must look at it.</summary>
    Failed,
}

public sealed record ConsolidationProgress(string Period, ConsolidationState State, int? Version, string? Detail);

/// <summary>
/// What the consolidation tells a feed it took in (<see cref="ProcessFeedOrchestration.IncludedEvent"/>): the data-set
/// version <c>{period}/v{n}</c> that includes it. Events of earlier runs carry the period alone; a feed then looks.
/// </summary>
public static class IncludedNews
{
    public static string Of(string period, int version) => FormattableString.Invariant($"{period}/v{version}");

    /// <returns>False for a text that names no version (the feed then asks the data set itself).</returns>
    public static bool TryRead(string? news, out string period, out int version)
    {
        period = "";
        version = 0;
        var cut = news?.LastIndexOf("/v", StringComparison.Ordinal) ?? -1;
        if (cut <= 0 || !int.TryParse(news.AsSpan(cut + 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version) || version < 1)
        {
            return false;
        }

        period = news![..cut];
        return true;
    }
}

public sealed record ConsolidatedFeed(string Source, string ContentHash, IReadOnlyList<string> DatasetVersions);

[JsonConverter(typeof(JsonStringEnumConverter<FeedOutcome>))]
public enum FeedOutcome
{
    Quarantined,
    Consolidated,
}

/// <summary>How a feed's processing ended: quarantined, or consolidated into these data-set versions (<c>{period}/v{n}</c>).</summary>
public sealed record ProcessFeedResult(string FeedId, FeedOutcome Outcome, IReadOnlyList<string> DatasetVersions);
