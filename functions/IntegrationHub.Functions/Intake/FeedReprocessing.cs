using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Intake;

/// <summary>
/// A feed through the pipeline again: a quarantined one validated anew (a schema or the reference data may have been
/// fixed since) and, if valid now, handed to ProcessFeed; one whose run failed gets that run started again.
/// </summary>
public sealed class FeedReprocessing(FeedStore store, FeedValidator validator, OrchestrationStarter starter, ReplayRecords replays, AuditLog audit)
{
    public const int DefaultPageSize = 50;

    // One listing call and one report read per feed, all at once.
    public const int MaxPageSize = 200;

    public async Task<OpsAnswer> ReprocessAsync(DurableTaskClient client, string feedId, OpsActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var status = await store.GetStatusAsync(feedId, cancellationToken).ConfigureAwait(false);
        return await audit.AuditedAsync(actor, "reprocess", feedId, null,
            status is null ? await NotFoundAsync(feedId, cancellationToken).ConfigureAwait(false) : null,
            () => status!.State == FeedState.Quarantined ? RevalidateAsync(client, status, cancellationToken) : RestartAsync(client, status, actor,
                cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    // In name order (pushed-to folder, then feed id); a report's metadata spares a look at the landing blobs.
    public async Task<OpsAnswer> ListQuarantineAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = DefaultPageSize;
        if (!OpsQuery.TryParseCount(query.First("limit"), MaxPageSize, ref pageSize))
        {
            return OpsAnswer.BadParameter("limit", "Bad page size",
                $"'{query.First("limit")}' is not a whole number from 1 to {MaxPageSize.ToString(CultureInfo.InvariantCulture)}.");
        }

        var source = query.First("source") is { Length: > 0 } given ? given : null;
        var continuationToken = query.First("continuationToken");
        if (source is not null && !FeedSource.IsKnown(source))
        {
            return OpsAnswer.BadParameter("source", "Unknown source", $"'{source}' is not a feed source; use one of: {string.Join(", ", FeedSource.All)}.");
        }

        string? marker = null;
        if (continuationToken is { Length: > 0 })
        {
            // Bound to the source it was listed with: storage's marker under another prefix skips or repeats feeds.
            if (PageToken.Decode(continuationToken, "q1") is not (var listedFor, { Length: > 0 } rest) || listedFor != (source ?? ""))
            {
                return OpsAnswer.BadParameter("continuationToken", "Bad continuation token",
                    "The token is not one this list gave, or it was given for another source; start again without it.");
            }

            marker = rest;
        }

        IReadOnlyList<QuarantineReportEntry> entries;
        string? next;
        try
        {
            (entries, next) = await store.ListQuarantinePageAsync(source, marker, Math.Clamp(pageSize, 1, MaxPageSize),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status400BadRequest)
        {
            // A marker storage refuses (a token made up or damaged on the way): the caller's fault, not a server error.
            return OpsAnswer.BadParameter("continuationToken", "Bad continuation token",
                "Storage refused where the token says to go on; start again without it.");
        }

        var reports = await Task.WhenAll(entries.Select(e => store.ReadQuarantineReportAsync(e.Source, e.FeedId, cancellationToken))).ConfigureAwait(false);
        var feeds = entries.Select((e, i) => new QuarantinedFeed(
                e.FeedId, e.Source, e.Period ?? reports[i]?.Period, e.QuarantinedAt,
                e.ContentHash is null ? null : $"{HubContainers.Landing}/{FeedStore.LandingPath(e.Source, e.ContentHash)}",
                FeedId.StatusUrl(e.Source, e.FeedId), reports[i])
            {
                Errors = e.Errors ?? (reports[i] is { } r ? r.Errors.Count + r.ErrorsNotListed : null),
            })
            // A report deleted between the listing and its read was released (reprocessed) meanwhile.
            .Where((_, i) => reports[i] is not null)
            .ToList();
        return OpsAnswer.Ok(new QuarantineList(feeds, next is null ? null : PageToken.Encode("q1", source ?? "", next)));
    }

    // A quarantined feed's body goes after the quarantine retention while its report stays: 410.
    private async Task<OpsAnswer> NotFoundAsync(string feedId, CancellationToken cancellationToken)
    {
        foreach (var folder in FeedSource.All)
        {
            if (FeedId.HashPrefixOf(feedId).Length == 16 && await store.ReadQuarantineReportAsync(folder, feedId,
                cancellationToken).ConfigureAwait(false) is not null)
            {
                return OpsAnswer.Problem(new ReprocessProblem(StatusCodes.Status410Gone, "Body no longer kept", feedId)
                {
                    Detail = $"Feed '{feedId}' was quarantined and its body deleted after the quarantine retention; its report stays at "
                        + $"{HubContainers.Quarantine}/{FeedStore.QuarantinePath(folder, feedId)}. Have the department send it again.",
                });
            }
        }

        return OpsAnswer.Problem(StatusCodes.Status404NotFound, "Unknown feed", $"No feed with id '{feedId}' has been received.");
    }

    private async Task<OpsAnswer> RevalidateAsync(DurableTaskClient client, FeedStatus status, CancellationToken cancellationToken)
    {
        var contentHash = ContentHashOf(status);
        var body = await store.ReadLandedAsync(status.Source, contentHash, cancellationToken).ConfigureAwait(false);
        var check = validator.Validate(body.ToMemory(), status.Source, contentHash);
        if (check.Feed is null)
        {
            return StillInvalid(status, check.Report);
        }

        var feedId = check.Report.FeedId!;
        var period = check.Report.Period!;
        if (!await store.ReleaseFromQuarantineAsync(status.Source, contentHash, status.FeedId, period, cancellationToken).ConfigureAwait(false))
        {
            return OpsAnswer.Problem(new ReprocessProblem(StatusCodes.Status409Conflict, "Feed changed meanwhile", status.FeedId)
            {
                Detail = $"Feed '{status.FeedId}' is no longer quarantined (reprocessed by someone else a moment ago?); look at it again.",
            });
        }

        // Its run starts from the normalised form, as an accepted push's does.
        await store.StoreNormalisedAsync(FeedNormaliser.Normalise(check.Feed), cancellationToken).ConfigureAwait(false);
        var instanceId = InstanceIds.Feed(status.Source, period, contentHash);
        // A quarantined feed of an older build may have a run that ended Quarantined (completed): it starts again.
        var started = await starter.StartAsync(client, nameof(ProcessFeedOrchestration.ProcessFeed), instanceId,
            new FeedRef(status.Source, period, contentHash, feedId), restartFinished: true, cancellationToken)
            .ConfigureAwait(false);
        return started == StartOutcome.Started ? Accepted(feedId, instanceId, "revalidated", check.Report.Warnings) : NotStarted(feedId, instanceId, started);
    }

    private async Task<OpsAnswer> RestartAsync(DurableTaskClient client, FeedStatus status, OpsActor actor, CancellationToken cancellationToken)
    {
        var contentHash = ContentHashOf(status);
        if (status.Period is null)
        {
            return OpsAnswer.Problem(StatusCodes.Status409Conflict, "No period recorded",
                $"Feed '{status.FeedId}' has no recorded period, so its run cannot be named.");
        }

        var instanceId = InstanceIds.Feed(status.Source, status.Period, contentHash);
        var feed = new FeedRef(status.Source, status.Period, contentHash, status.FeedId);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        switch (instance?.RuntimeStatus)
        {
            case null:
                // Valid and recorded, but its run was never started (the receiver died in between): start it now.
                var started = await starter.StartAsync(client, nameof(ProcessFeedOrchestration.ProcessFeed), instanceId, feed,
                    restartFinished: false, cancellationToken).ConfigureAwait(false);
                return started == StartOutcome.Started ? Accepted(status.FeedId, instanceId, "started", []) : NotStarted(status.FeedId, instanceId, started);
            case OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated:
                // Reprocessing and replaying a failure share one record: it is never run again twice.
                return await replays.RunAgainAsync(client, instance, feed, $"reprocess by {actor.Principal}", cancellationToken).ConfigureAwait(false) switch
                {
                    null => OpsAnswer.Problem(new ReprocessProblem(StatusCodes.Status409Conflict, "Failure already handled", status.FeedId)
                    {
                        Detail = string.Create(CultureInfo.InvariantCulture,
                            $"The failure of {instanceId} at {instance.LastUpdatedAt:O} was replayed or reprocessed already; look at the instance again."),
                        InstanceId = instanceId,
                    }),
                    StartOutcome.Started => Accepted(status.FeedId, instanceId, "restarted", []),
                    var other => NotStarted(status.FeedId, instanceId, other.Value),
                };
            case var other:
                var detail = other == OrchestrationRuntimeStatus.Completed
                    ? $"Feed '{status.FeedId}' is {status.State} and its run {instanceId} completed; there is nothing to reprocess."
                    : $"The run {instanceId} of feed '{status.FeedId}' is {other}; let it finish (or terminate it) first.";
                return OpsAnswer.Problem(new ReprocessProblem(StatusCodes.Status409Conflict, "Nothing to reprocess", status.FeedId)
                {
                    Detail = detail, InstanceId = instanceId, State = status.State.ToString(), RuntimeStatus = other.ToString(),
                });
        }
    }

    private static OpsAnswer Accepted(string feedId, string instanceId, string reprocessing, IReadOnlyList<ValidationIssue> warnings)
    {
        var statusUrl = InstanceIds.StatusUrl(instanceId);
        return OpsAnswer.Accepted(new FeedReprocessAccepted(feedId, instanceId, reprocessing, statusUrl, warnings), statusUrl);
    }

    private static OpsAnswer NotStarted(string feedId, string instanceId, StartOutcome outcome) =>
        OpsAnswer.Problem(new ReprocessProblem(StatusCodes.Status409Conflict, "Not started", feedId)
        {
            Detail = outcome == StartOutcome.Running ? $"The run {instanceId} is running already." : $"Another caller is starting {instanceId} at this moment.",
            InstanceId = instanceId,
        });

    private static OpsAnswer StillInvalid(FeedStatus status, ValidationReport report) =>
        OpsAnswer.Problem(new ReprocessProblem(StatusCodes.Status422UnprocessableEntity, "The feed is still not valid", status.FeedId)
        {
            Detail = $"Validated again: {report.Errors.Count} violation(s); the feed stays quarantined. "
                + "Fix the schema or reference data it breaks, or have the department send it again.",
            StatusUrl = FeedId.StatusUrl(status.Source, status.FeedId),
            Errors = report.Errors,
            Warnings = report.Warnings,
            Report = report,
        });

    // landing/{source}/{sha256}.json
    private static string ContentHashOf(FeedStatus status) => Path.GetFileNameWithoutExtension(status.LandingBlob);
}

[Description("A feed sent through the pipeline again.")]
public sealed record FeedReprocessAccepted(
    string FeedId,
    [property: Description("The run that processes it.")] string InstanceId,
    [property: AllowedValues("revalidated", "restarted", "started")]
    [property: Description("`revalidated`: a quarantined feed valid now; `restarted`: a failed or terminated run started again; "
        + "`started`: a run that never started.")]
    string Reprocessing,
    [property: Description("The run's ops URL (`/api/ops/instances/{instanceId}`), to follow it.")] string Status,
    IReadOnlyList<ValidationIssue> Warnings) : IAuditedBody
{
    string IAuditedBody.AuditDetail => $"{Reprocessing}: {InstanceId}";
}

/// <summary>A quarantined feed with its report.</summary>
public sealed record QuarantinedFeed(
    string FeedId,
    [property: Description("The department whose URL the body was pushed to (the feed id may name another).")] string Source,
    string? Period,
    DateTimeOffset ReceivedAt,
    [property: Description("Where the body is, or was until the quarantine retention deleted it; null for a report of an older build.")]
    string? LandingBlob,
    string StatusUrl,
    ValidationReport? Report)
{
    [Description("Errors in the report, listed or not.")]
    public int? Errors { get; init; }
}

[Description("A page of quarantined feeds, in name order (the department the body was pushed to, then the feed id).")]
public sealed record QuarantineList(
    IReadOnlyList<QuarantinedFeed> Feeds,
    [property: Description("Pass it back for the next page; null after the last.")] string? ContinuationToken);

[Description("Why a feed was not reprocessed: its run's state, or (422) the violations it still has.")]
public sealed record ReprocessProblem(int Status, string Title, string FeedId) : HubProblem(Status, Title)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("The feed's run.")]
    public string? InstanceId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("The feed's state (`Consolidated`, `Validated`, …).")]
    public string? State { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("Its run's runtime status.")]
    public string? RuntimeStatus { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("A 422: the feed's status URL.")]
    public string? StatusUrl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("A 422: every violation found again.")]
    public IReadOnlyList<ValidationIssue>? Errors { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ValidationIssue>? Warnings { get; init; }

    // The whole report, as GET /api/feeds/{source}/{feedId} shows it.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ValidationReport? Report { get; init; }
}
