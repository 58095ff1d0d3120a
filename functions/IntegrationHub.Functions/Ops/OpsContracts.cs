using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Http;

namespace IntegrationHub.Functions.Ops;

// The answers of the ops API. Additive changes only: the console, the CLI and scripts read them. Their words are the
// [Description]s, which the OpenAPI document shows.

[ApiSchema("Instance")]
[Description("One orchestration in a list.")]
public sealed record InstanceView(
    string InstanceId,
    [property: Description("`ProcessFeed`, `PullFeed` or `ConsolidatePeriod`.")] string Name,
    [property: Description("The runtime status (`Running`, `Completed`, `Failed`, …).")] string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    [property: Description("JSON text with the `stage`.")] string? CustomStatus,
    [property: Description("The output, as JSON text.")] string? Output,
    [property: Description("Why it failed, when it did.")] string? Failure,
    [property: Description("For a feed's run that ended with the feed quarantined: why (its run still counts as Completed).")]
    QuarantineSummary? Quarantine = null);

[ApiSchema]
[Description("A feed's run that completed with the feed quarantined: the feed, its state now and its violations "
    + "(in a list the first three, in the detail all listed).")]
public sealed record QuarantineSummary(
    string FeedId,
    [property: Description("The feed's state now: `Quarantined` until it is reprocessed; null when the feed is not found.")] string? State,
    [property: Description("How many violations the report counts.")] int Errors,
    [property: Description("Violations, each with its JSON Pointer (`instanceLocation`) and rule (`keyword`).")] IReadOnlyList<ValidationIssue> Issues,
    string StatusUrl);

[Description("A page of orchestrations, newest first across pages (by creation time; at the same moment, by instance id).")]
public sealed record InstancePage(
    IReadOnlyList<InstanceView> Instances,
    [property: Description("Pass it back for the next page; null on the last.")] string? ContinuationToken);

/// <summary>A feed behind an instance: its source and period, and once landed its content hash, id, state and status URL.</summary>
public sealed record FeedLink(
    string Source, string Period, string? ContentHash, string? FeedId,
    [property: Description("The feed's state, or `NotReceived`.")] string? State, string? StatusUrl);

[Description("One orchestration in detail.")]
public sealed record InstanceDetail(
    string InstanceId,
    string Name,
    [property: Description("The runtime status.")] string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    [property: Description("JSON text with the `stage`.")] string? CustomStatus,
    [property: Description("The serialised input, at most 4096 characters.")] string? Input,
    bool InputTruncated,
    [property: Description("The serialised output, or the failure message as the engine records it (same limit).")] string? Output,
    bool OutputTruncated,
    [property: Description("Why it failed: the root cause (the failed activity's exception when an activity failed).")] FailureView? Failure,
    [property: Description("The feeds behind the instance.")] IReadOnlyList<FeedLink> Feeds,
    [property: Description("What ops may do now: `replay`, `rewind`, `terminate`, `suspend`, `resume`, `purge`.")] IReadOnlyList<string> Actions,
    [property: Description("The history events, in order.")] IReadOnlyList<HistoryEventView> History,
    [property: Description("Where the history comes from, or why it is empty.")] string HistorySource,
    QuarantineSummary? Quarantine = null,
    [property: Description("The runs replays (or reprocessing) replaced, newest first, at most 10: the engine keeps only the current run.")]
    IReadOnlyList<EarlierRun>? EarlierRuns = null,
    [property: Description("How many earlier runs the hub keeps in all.")] int EarlierRunCount = 0);

[Description("An accepted instance action; each action is also written to the audit log.")]
public sealed record InstanceActionAccepted(
    string InstanceId,
    [property: AllowedValues("replay", "rewind", "terminate", "suspend", "resume")] string Action,
    [property: Description("What happens next.")] string Detail,
    [property: Description("Where to follow the instance: `/api/ops/instances/{instanceId}`.")] string Status) : IAuditedBody
{
    string IAuditedBody.AuditDetail => Detail;
}

/// <summary>The answer to a purge.</summary>
public sealed record InstancePurged(string InstanceId, int PurgedInstances);

/// <summary>What <c>POST /api/ops/replay-failed</c> did with one failed instance.</summary>
public sealed record ReplayOutcome(string InstanceId, string Name, DateTimeOffset FailedAt,
    [property: AllowedValues("replayed", "already-replayed", "being-started", "error", "would-replay")] string Outcome, string? Detail);

[Description("What a bulk replay did.")]
public sealed record ReplayFailedReport(
    [property: Description("Failed instances that matched, taken or not.")] int Matched,
    int Replayed,
    [property: Description("Replayed before, or being started by someone else.")] int Skipped,
    int Errors,
    IReadOnlyList<ReplayOutcome> Results,
    [property: Description("Matched beyond `max`, oldest failure first taken: left failed for a next call.")] int NotTaken = 0,
    [property: Description("True: nothing was done; `results` lists what would have been replayed (`would-replay`).")] bool DryRun = false);

[Description("Why an instance action cannot be done now, and what can be done with the instance instead.")]
public sealed record InstanceConflictProblem(int Status, string Title, string InstanceId) : HubProblem(Status, Title)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("The instance's runtime status, when that is why (`Running`, `Completed`, …).")]
    public string? RuntimeStatus { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("What ops may do with it in that status (`replay`, `rewind`, `terminate`, `suspend`, `resume`, `purge`).")]
    public IReadOnlyList<string>? Actions { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("A replay refused: `already-replayed` or `being-started`.")]
    public string? Outcome { get; init; }
}

