using System.ComponentModel.DataAnnotations;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Http;

namespace IntegrationHub.Functions.Ops;

// The answers of the ops API. Additive changes only: the console, the CLI and scripts read them.

/// <summary>One orchestration in a list.</summary>
/// <param name="Quarantine">For a feed's run that ended with the feed quarantined: why (its run still counts as Completed).</param>
[ApiSchema("Instance")]
public sealed record InstanceView(
    string InstanceId, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, string? CustomStatus, string? Output, string? Failure,
    QuarantineSummary? Quarantine = null);

/// <summary>
/// A run that ended with its feed quarantined: the feed, its state now, how many violations and the first of them
/// (<see cref="ValidationIssue.InstanceLocation"/> is the JSON Pointer, <see cref="ValidationIssue.Keyword"/> the rule).
/// </summary>
/// <param name="State">The feed's state now (<c>Quarantined</c> until it is reprocessed); null when the feed is not found.</param>
[ApiSchema]
public sealed record QuarantineSummary(string FeedId, string? State, int Errors, IReadOnlyList<ValidationIssue> Issues, string StatusUrl);

/// <summary>
/// A run of an instance that a replay (or a reprocess) replaced: the engine keeps one run per id, the hub keeps the
/// ones before it. <see cref="History"/> holds the last <see cref="EarlierRuns.MaxEvents"/> events (<see cref="EventsNotKept"/> counts the rest).
/// </summary>
/// <param name="ReplacedAt">When it was replaced by a new run; <paramref name="ReplacedBy"/> by whom (the principal) and how.</param>
[ApiSchema]
public sealed record EarlierRun(
    string Status, DateTimeOffset CreatedAt, DateTimeOffset EndedAt, DateTimeOffset ReplacedAt, string ReplacedBy, string? CustomStatus, string? Output, bool OutputTruncated,
    FailureView? Failure, IReadOnlyList<HistoryEventView> History, int EventsNotKept);

/// <summary>One page of <c>GET /api/ops/instances</c>, newest first; the token (null: last) gets the next.</summary>
public sealed record InstancePage(IReadOnlyList<InstanceView> Instances, string? ContinuationToken);

/// <summary>
/// Why an instance failed: message, type and stack of the root cause (the failed activity's own exception);
/// <see cref="Summary"/> is the orchestration's message; <see cref="Attempts"/> the activity's failures in a row.
/// </summary>
public sealed record FailureView(string Message, string? Type, string? StackTrace, string? Activity, int? Attempts, string? Summary, DateTimeOffset? FailedAt);

/// <summary>
/// A feed behind an instance: its source and period, and once landed its content hash, id, state and status URL.
/// </summary>
public sealed record FeedLink(string Source, string Period, string? ContentHash, string? FeedId, string? State, string? StatusUrl);

/// <summary>One event of an instance's history, in order.</summary>
public sealed record HistoryEventView(int? EventId, string Type, string? Name, DateTimeOffset? Timestamp, int? TaskScheduledId, string? Detail);

/// <summary><c>GET /api/ops/instances/{instanceId}</c>.</summary>
/// <param name="Input">The serialised input, cut at 4096 characters (as is <paramref name="Output"/>).</param>
/// <param name="Actions">What ops may do with the instance in its current state.</param>
/// <param name="EarlierRuns">Replaced runs, newest first: <see cref="Ops.EarlierRuns.MaxShown"/> at most.</param>
public sealed record InstanceDetail(
    string InstanceId,
    string Name,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string? CustomStatus,
    string? Input,
    bool InputTruncated,
    string? Output,
    bool OutputTruncated,
    FailureView? Failure,
    IReadOnlyList<FeedLink> Feeds,
    IReadOnlyList<string> Actions,
    IReadOnlyList<HistoryEventView> History,
    string HistorySource,
    QuarantineSummary? Quarantine = null,
    IReadOnlyList<EarlierRun>? EarlierRuns = null,
    int EarlierRunCount = 0);

/// <summary>The answer to an accepted instance action (replay, rewind, terminate, suspend, resume).</summary>
/// <param name="Status">Where to follow the instance: <c>/api/ops/instances/{instanceId}</c>.</param>
public sealed record InstanceActionAccepted(
    string InstanceId, [property: AllowedValues("replay", "rewind", "terminate", "suspend", "resume")] string Action, string Detail, string Status);

/// <summary>The answer to a purge.</summary>
public sealed record InstancePurged(string InstanceId, int PurgedInstances);

/// <summary>What <c>POST /api/ops/replay-failed</c> did with one failed instance.</summary>
/// <param name="Outcome">
/// <c>replayed</c>, <c>already-replayed</c> (this failure was replayed before), <c>being-started</c> (someone else is
/// starting it), <c>error</c>, or in a dry run <c>would-replay</c>.
/// </param>
public sealed record ReplayOutcome(string InstanceId, string Name, DateTimeOffset FailedAt,
    [property: AllowedValues("replayed", "already-replayed", "being-started", "error", "would-replay")] string Outcome, string? Detail);

/// <summary>
/// <c>POST /api/ops/replay-failed</c>: counts, one outcome per instance taken; <paramref name="NotTaken"/> are left for
/// a next call.
/// </summary>
public sealed record ReplayFailedReport(int Matched, int Replayed, int Skipped, int Errors, IReadOnlyList<ReplayOutcome> Results, int NotTaken = 0, bool DryRun = false);

/// <summary>The answer to an accepted <c>POST /api/ops/feeds/{feedId}/reprocess</c>.</summary>
/// <param name="Reprocessing"><c>revalidated</c> (a quarantined feed that is valid now), <c>restarted</c> (a failed or terminated run started again) or <c>started</c> (a valid feed whose run never started).</param>
public sealed record FeedReprocessAccepted(string FeedId, string InstanceId,
    [property: AllowedValues("revalidated", "restarted", "started")] string Reprocessing, string Status, IReadOnlyList<ValidationIssue> Warnings);

/// <summary>A quarantined feed with its report.</summary>
/// <param name="Source">The source of the URL the body was pushed to, which the feed id may contradict.</param>
/// <param name="LandingBlob">Where its body is (or was, before the retention); null for an older report.</param>
public sealed record QuarantinedFeed(string FeedId, string Source, string? Period, DateTimeOffset ReceivedAt, string? LandingBlob, string StatusUrl, ValidationReport? Report)
{
    /// <summary>Errors in the report, listed or not.</summary>
    public int? Errors { get; init; }
}

/// <summary><c>GET /api/ops/quarantine</c>: one page in name order (folder, then feed id).</summary>
public sealed record QuarantineList(IReadOnlyList<QuarantinedFeed> Feeds, string? ContinuationToken);

/// <summary>
/// <c>GET /api/ops/audit</c>, newest first; a page may hold fewer than asked when one answer's read matched little.
/// </summary>
[ApiSchema("AuditLog")]
public sealed record AuditLogPage(IReadOnlyList<AuditEntry> Entries, string? ContinuationToken = null);

/// <summary>One period that <c>POST /api/ops/reconsolidate</c> asked to consolidate again.</summary>
/// <param name="CurrentVersion">The version current when asked (null: none readable).</param>
/// <param name="MethodologyVersion">That version's methodology (<c>1.0</c> for versions stored before data set 2.0).</param>
/// <param name="Outcome"><c>started</c>, <c>running</c> (a run was under way: it builds on the current basis too) or <c>error</c>.</param>
public sealed record ReconsolidationPeriod(string Period, string InstanceId, int? CurrentVersion, string? MethodologyVersion,
    [property: AllowedValues("started", "running", "error")] string Outcome, string Status);

/// <summary>
/// What <c>POST /api/ops/reconsolidate</c> started; <paramref name="Outdated"/> counts periods whose current version is
/// of an older methodology.
/// </summary>
public sealed record ReconsolidationReport(string MethodologyVersion, int Periods, int Started, int Running, int Errors, int Outdated, IReadOnlyList<ReconsolidationPeriod> Results);
