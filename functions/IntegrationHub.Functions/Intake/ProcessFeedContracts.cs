using System.Text.Json.Serialization;

namespace IntegrationHub.Functions.Intake;

// Orchestration inputs and outputs are persisted in the task hub's history: small records, additive changes only.

/// <summary>
/// An accepted, landed feed: <c>landing/{Source}/{ContentHash}.json</c>, normalised as
/// <c>normalized/{Source}/{Period}/{FeedId}.json</c>. <see cref="FeedId"/> is null in the inputs of runs started by
/// builds that judged feeds inside the run. <see cref="ReceivedAt"/> is the hub's clock when the bytes arrived (null in
/// inputs of older builds and of ops reprocessing: the ledger then takes the time it records the feed).
/// </summary>
public sealed record FeedRef(string Source, string Period, string ContentHash, string? FeedId = null, DateTimeOffset? ReceivedAt = null);

/// <summary>Where a feed sits in the ledger, and which data sets must include it.</summary>
public sealed record LedgerRecord(string FeedId, int Year, long Generation, IReadOnlyList<string> AffectedPeriods);

/// <summary>What a feed's run did: recorded it in the ledger and handed each data set it feeds to its consolidation.</summary>
/// <param name="Consolidations">Per period, what the hand-over found (<c>Started</c>, <c>Joined</c>, <c>WaitingForOps</c>).</param>
public sealed record FeedRecorded(string FeedId, bool Quarantined, LedgerRecord? Ledger, IReadOnlyDictionary<string, string> Consolidations);

[JsonConverter(typeof(JsonStringEnumConverter<FeedOutcome>))]
public enum FeedOutcome
{
    Quarantined,

    /// <summary>Runs of older builds ended here, once their data sets included the feed.</summary>
    Consolidated,

    /// <summary>In the ledger, with a consolidation of each of its data sets running or requested.</summary>
    Recorded,
}

/// <summary>How a feed's run ended. Its data-set versions are on its status (<c>GET /api/feeds/{feedId}</c>), once taken in.</summary>
/// <param name="DatasetVersions">Runs of older builds: the versions that included the feed. Empty now.</param>
/// <param name="Periods">The data sets (periods) the feed was handed to.</param>
public sealed record ProcessFeedResult(string FeedId, FeedOutcome Outcome, IReadOnlyList<string> DatasetVersions, IReadOnlyList<string>? Periods = null);
